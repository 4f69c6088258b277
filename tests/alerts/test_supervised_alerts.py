"""End to end: a program driven into FATAL under a real supervisord, a real worker, a webhook
receiver that is down at first. The receiver gets the alert once it is back, exactly once, and
one "resolved" after the program is fixed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.core import keys
from console.core.cache import open_cache
from console.core.store.alert_history import recent
from console.core.store.engine import make_engine, upgrade
from tests.alerts.receivers import Webhook
from tests.jobs.helpers import settings_for
from tests.support.supervisord import Program
from tests.support.waits import wait_until

HOST = "alert-host"
ROOT = Path(__file__).resolve().parents[2]


def start_worker(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen:
    log = (tmp_path / "worker.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "console", "worker"],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
        start_new_session=True,
    )


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=5)


def fatal_titles(hook: Webhook) -> list[str]:
    return [t.split(":")[0] for t in hook.titles() if "program_fatal" in t]


@pytest.mark.slow
def test_fatal_under_supervisord_reaches_a_receiver_that_was_down_once(
    redis_url: str, tmp_path: Path, supervisord_factory
) -> None:
    ok = tmp_path / "ok"
    flaky = Program(
        "flaky",
        f"sh -c 'test -f {ok} && exec sleep 600; exit 3'",
        {"startsecs": "1", "startretries": "1", "autorestart": "unexpected"},
    )
    sv = supervisord_factory([flaky])
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    engine = make_engine(db)
    upgrade(engine)
    hook = Webhook()  # down: nothing listens on its port yet
    env = {
        "STACKWATCH_REDIS_URL": redis_url,
        "STACKWATCH_DATABASE_URL": db,
        "STACKWATCH_SUPERVISOR_URL": sv.url,
        "STACKWATCH_HOST": HOST,
        "STACKWATCH_COLLECT_INTERVAL": "1",
        "STACKWATCH_ALERTS_INTERVAL": "1",
        "STACKWATCH_ALERTS_RETRY_MAX": "2",  # the 2-minute outage of the issue, shortened
        "STACKWATCH_ALERTS_NOTIFY": hook.url,
        "STACKWATCH_DATA_DIR": str(tmp_path / "data"),
    }
    worker = start_worker(tmp_path, env)
    cache = open_cache(settings_for(redis_url=redis_url))
    try:
        sv.wait_for_state("flaky", {"FATAL"})

        def failed_tries() -> int:
            return sum(1 for h in recent(engine, HOST, 0) if h.event == "failed")

        wait_until(lambda: failed_tries() >= 2, "two failed deliveries", timeout=60)
        hook.start()
        wait_until(lambda: fatal_titles(hook), "the alert after the receiver is back", 60)
        ok.touch()
        sv.rpc().supervisor.startProcess("flaky")
        wait_until(lambda: len(fatal_titles(hook)) >= 2, "the resolved message", timeout=60)
        resolved_at = time.time()

        def evaluated_since() -> bool:
            run = cache.map_all(keys.job_runs(HOST)).get("evaluate_alerts") or {}
            return (run.get("started") or 0) > resolved_at + 3

        wait_until(evaluated_since, "three more evaluations", timeout=60)
    finally:
        stop(worker)
        hook.stop()
        cache.close()
    assert fatal_titles(hook) == ["[FIRING] alert-host", "[RESOLVED] alert-host"]
    body = next(m["message"] for m in hook.received if "program_fatal" in m["title"])
    assert "flaky:flaky is FATAL" in body and "stackwatch --host alert-host logs" in body
    assert worker.returncode == 0
