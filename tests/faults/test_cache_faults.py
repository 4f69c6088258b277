"""Every bad value of tests/faults/outside_data.py, written into a real Redis, reads as an
`invalid` reading with its reason: in the console (which keeps running), plain mode and doctor.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from console.cli import main
from console.core.settings import Settings
from console.core.store.engine import make_engine, upgrade
from console.tui.app import make_app
from tests.faults.outside_data import HOST, MARKUP_HOST, faults, write_fault
from tests.support.supervisord import Program
from tests.tui.test_dashboard_pilot import screen_text, sync, wait_for

FAULTS = faults()


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(make_engine(url))
    return url


def _settings(redis_url: str, store_url: str) -> Settings:
    return Settings(host=HOST, redis_url=redis_url, database_url=store_url, refresh_dashboard=0.5)


def _cli(args: list[str], redis_url: str, store_url: str, capsys) -> tuple[int, str]:
    flags = ["--host", HOST, "--redis-url", redis_url, "--database-url", store_url]
    code = main([*flags, *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_plain_mode_and_doctor_say_invalid_in_one_line(
    fault, redis_url, store_url, capsys, monkeypatch
) -> None:
    write_fault(redis.Redis.from_url(redis_url), fault)
    monkeypatch.setattr("console.commands.tui.has_terminal", lambda: False)
    code, out = _cli([], redis_url, store_url, capsys)
    lines = [line for line in out.splitlines() if fault.shown in line]
    assert len(lines) == 1 and "invalid: " in lines[0], out
    assert code == 1  # every source answers; an entry is unusable
    code, out = _cli(["doctor"], redis_url, store_url, capsys)
    lines = [line for line in out.splitlines() if fault.shown in line]
    assert len(lines) == 1 and "FAIL" in lines[0] and "invalid: " in lines[0], out
    assert code == 1
    code, out = _cli(["doctor", "--json"], redis_url, store_url, capsys)
    failed = [c for c in json.loads(out)["checks"] if fault.shown in c["detail"]]
    assert code == 1 and [c["status"] for c in failed] == ["fail"], out


@sync
async def test_the_console_shows_each_fault_as_invalid_and_keeps_running(
    redis_url, store_url
) -> None:
    client = redis.Redis.from_url(redis_url)
    write_fault(client, FAULTS[0])
    app = make_app(_settings(redis_url, store_url))
    async with app.run_test(size=(120, 40)) as pilot:
        for fault in FAULTS:
            write_fault(client, fault)
            await wait_for(pilot, lambda f=fault: f.shown in screen_text(app), 10.0)
            assert app.is_running and app.return_code is None
            assert "invalid: " in screen_text(app)
        # The host named like markup is listed as text, and choosing it runs no action.
        await wait_for(pilot, lambda: MARKUP_HOST in app.model.hosts)
        app.select_host(MARKUP_HOST)
        await wait_for(pilot, lambda: MARKUP_HOST in screen_text(app))
        assert app.is_running and app.return_code is None


def test_the_real_command_without_a_terminal(redis_url, store_url, tmp_path) -> None:
    write_fault(redis.Redis.from_url(redis_url), FAULTS[0])
    env = {k: v for k, v in os.environ.items() if not k.startswith("STACKWATCH_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "--host",
            HOST,
            "--redis-url",
            redis_url,
            "--database-url",
            store_url,
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
        cwd=tmp_path,
    )
    assert "performance: invalid: perf.rps_avg is a list" in done.stdout
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_status_names_each_fault_and_keeps_its_exit_code(
    redis_url, store_url, capsys, supervisord_factory
) -> None:
    sv = supervisord_factory([Program("web", "sleep 60")])
    sv.wait_for_state("web", {"RUNNING"})
    client = redis.Redis.from_url(redis_url)
    for fault in FAULTS:
        write_fault(client, fault)
        code, out = _cli(["--supervisor-url", sv.url, "status"], redis_url, store_url, capsys)
        lines = [line for line in out.splitlines() if fault.shown in line]
        assert code == 0 and len(lines) == 1 and "invalid: " in lines[0], out
        assert "cache ok · db ok" in out
        code, out = _cli(
            ["--supervisor-url", sv.url, "status", "--json"], redis_url, store_url, capsys
        )
        sources = json.loads(out)["sources"]
        assert code == 0 and fault.shown in sources["invalid"][0]["reason"], out
