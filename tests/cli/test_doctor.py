"""`stackwatch doctor` against a real stack: a healthy one passes, each broken part fails
with its own message."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from console.cli import main
from console.core.doctor import run_checks
from console.core.settings import SupervisorEndpoint, load_settings
from console.core.store.engine import make_engine, upgrade
from tests.support.supervisord import Program

WORKER_OPTIONS = {
    "stopsignal": "INT",
    "stdout_logfile_maxbytes": "10MB",
    "stderr_logfile_maxbytes": "10MB",
    "killasgroup": "true",
    "stopasgroup": "true",
}


def write_config(tmp_path: Path, redis_url: str, extra: str = "") -> Path:
    conf = tmp_path / "stackwatch.toml"
    conf.write_text(
        f'host = "doctor-test"\nredis_url = "{redis_url}"\n'
        f'database_url = "sqlite:///{tmp_path / "sw.db"}"\ndata_dir = "{tmp_path}"\n'
        "[collect]\ninterval = 1\nstore_interval = 2\n" + extra
    )
    return conf


@pytest.fixture
def stack(tmp_path: Path, redis_url: str, supervisord_factory):
    """A real worker under a real supervisord, writing to a private Redis and SQLite."""
    conf = write_config(tmp_path, redis_url)
    engine = make_engine(f"sqlite:///{tmp_path / 'sw.db'}")
    upgrade(engine)
    engine.dispose()
    options = dict(WORKER_OPTIONS, environment=f'STACKWATCH_CONFIG="{conf}"')
    sv = supervisord_factory(
        [Program("stackwatch-worker", f"{sys.executable} -m console worker", options)]
    )
    settings = load_settings(str(conf), env={}).settings.with_overrides(
        supervisors=(SupervisorEndpoint("test", sv.url),)
    )
    return sv, settings


def wait_healthy(settings, timeout: float = 40.0) -> list:
    deadline = time.monotonic() + timeout
    checks = run_checks(settings)
    while time.monotonic() < deadline:
        if not [c for c in checks if c.status == "fail"]:
            return checks
        time.sleep(0.5)
        checks = run_checks(settings)
    return checks


def failures(checks) -> dict[str, str]:
    return {c.name: c.detail for c in checks if c.status == "fail"}


def test_healthy_stack_passes_then_each_broken_part_fails(stack, capsys) -> None:
    sv, settings = stack
    checks = wait_healthy(settings)
    assert failures(checks) == {}
    names = {c.name for c in checks}
    assert {"metrics:health:latest", "worker heartbeat", "system_health_metrics"} <= names
    assert "worker program stackwatch-worker:stackwatch-worker" in names

    # Stale heartbeat: the same stack seen ten minutes later.
    later = failures(run_checks(settings, now=time.time() + 600))
    assert later["worker heartbeat"] == "updated 10m ago"
    assert "MISSED" in later["collect_system_metrics"]

    # Worker stopped.
    sv.rpc().supervisor.stopProcess("stackwatch-worker")
    stopped = failures(run_checks(settings))
    assert stopped["worker program stackwatch-worker:stackwatch-worker"] == "STOPPED"


def test_redis_down_fails_the_cache(tmp_path: Path) -> None:
    conf = write_config(tmp_path, "redis://127.0.0.1:1/0")
    settings = load_settings(str(conf), env={}).settings
    failed = failures(run_checks(settings))
    assert "127.0.0.1:1" in failed["reachable"]


def test_schema_behind_fails_with_the_upgrade_hint(tmp_path: Path, redis_url: str, capsys) -> None:
    conf = write_config(tmp_path, redis_url)
    assert main(["--config", str(conf), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  schema" in out and "fix: stackwatch db upgrade" in out


def test_wrong_stopsignal_fails(tmp_path: Path, redis_url: str, supervisord_factory) -> None:
    sv = supervisord_factory(
        [Program("stackwatch-worker", "sleep 60", dict(WORKER_OPTIONS, stopsignal="TERM"))]
    )
    settings = load_settings(str(write_config(tmp_path, redis_url)), env={}).settings
    settings = settings.with_overrides(supervisors=(SupervisorEndpoint("test", sv.url),))
    sv.wait_for_state("stackwatch-worker", {"RUNNING"})
    checks = {c.name: c for c in run_checks(settings)}
    bad = checks["stackwatch-worker:stackwatch-worker stopsignal"]
    assert bad.status == "fail" and bad.detail == "SIGTERM" and "stopsignal=INT" in bad.fix


def test_unreachable_supervisord_and_json_output(tmp_path: Path, redis_url: str, capsys) -> None:
    conf = write_config(tmp_path, redis_url)
    code = main(
        [
            "--config",
            str(conf),
            "--supervisor-url",
            f"unix://{tmp_path}/no.sock",
            "doctor",
            "--json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["ok"] is False
    sv_check = next(c for c in report["checks"] if c["area"] == "supervisord")
    assert sv_check["status"] == "fail" and "no.sock" in sv_check["detail"]
