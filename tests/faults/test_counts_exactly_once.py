"""20,000 requests and 2,000 jobs recorded across a database outage, a worker stop and four
`kill -9`s of the worker reach `performance_metrics` exactly once.

Everything is real: Redis, PostgreSQL (reached through a TCP proxy process that is killed to
make the database unreachable), supervisord running the shipped worker program, and the
application's reporting API (`Reporter.record_request`, `instrument(huey)`). The issue's
40 s outage and 30 s stop are scaled down with the intervals (collection every 1 s instead of
60, store every 2 s instead of 300): 8 s of outage is four store runs and eight rolls missed,
the same logic in a test that takes well under a minute.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import threading
import time
from pathlib import Path

import pytest
from huey import MemoryHuey
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from console.core.cache import open_cache
from console.core.report import Reporter, instrument
from console.core.store.engine import make_engine, upgrade
from console.core.store.models import JobFailureRow, PerformanceRow
from console.core.store.writes import performance_stored_until
from tests.jobs.helpers import settings_for
from tests.jobs.test_worker_supervised import wait_for, worker_program
from tests.support.tcpproxy import Proxy

HOST = "faults"
REQUESTS, JOBS, FAIL_EVERY = 20_000, 2_000, 10
RECORD_FOR_S = 36.0


class Recorder(threading.Thread):
    """The application: requests and jobs at a steady pace for RECORD_FOR_S seconds."""

    def __init__(self, redis_url: str) -> None:
        super().__init__(daemon=True)
        self.settings = settings_for(redis_url=redis_url, host=HOST)
        self.finished_at: float | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._record()
        except BaseException as exc:  # surfaced by the test
            self.error = exc

    def _record(self) -> None:
        reporter = Reporter(self.settings)
        huey = MemoryHuey("app", immediate=True, results=False)
        instrument(huey, self.settings)

        @huey.task()
        def job(n: int) -> None:
            if n % FAIL_EVERY == 0:
                raise RuntimeError(f"job {n} failed on purpose")

        steps = 200
        start = time.monotonic()
        for step in range(steps):
            for i in range(REQUESTS // steps):
                reporter.record_request(float(i % 50), 200 if i % 97 else 503)
            for n in range(step * JOBS // steps, (step + 1) * JOBS // steps):
                job(n)
            time.sleep(max(0.0, start + (step + 1) * RECORD_FOR_S / steps - time.monotonic()))
        self.finished_at = time.time()


def _totals(engine) -> tuple[int, int, int, int]:
    with engine.connect() as conn:
        row = conn.execute(
            select(
                func.coalesce(func.sum(PerformanceRow.requests), 0),
                func.coalesce(func.sum(PerformanceRow.jobs_processed), 0),
                func.coalesce(func.sum(PerformanceRow.jobs_failed), 0),
            ).where(PerformanceRow.host == HOST)
        ).one()
        failures = conn.execute(  # the app's (the worker's own failed tries are there too)
            select(func.count())
            .select_from(JobFailureRow)
            .where(JobFailureRow.host == HOST, JobFailureRow.task.like("%job"))
        ).scalar_one()
    return (*map(int, row), int(failures))


def _pid(sv) -> int:
    return sv.rpc().supervisor.getProcessInfo("stackwatch-worker")["pid"]


def _beat_pid(cache) -> int | None:
    beat = cache.heartbeat(HOST)
    return beat.payload.get("pid") if beat.ok and beat.payload else None


def _running_again(sv, old_pid: int) -> int:
    def check() -> int:
        info = sv.rpc().supervisor.getProcessInfo("stackwatch-worker")
        ok = info["statename"] == "RUNNING" and info["pid"] not in (0, old_pid)
        return info["pid"] if ok else 0

    return wait_for(check, timeout=30)


@pytest.mark.slow
@pytest.mark.postgres
def test_counts_reach_postgresql_exactly_once_across_outage_stop_and_kills(
    redis_url: str, pg_url: str, supervisord_factory, tmp_path: Path, caplog
) -> None:
    caplog.set_level(logging.CRITICAL, logger="huey")  # the app's failing jobs, on purpose
    engine = make_engine(pg_url)
    upgrade(engine)
    url = make_url(pg_url)
    proxy = Proxy(url.host, url.port or 5432).start()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
    env = {
        "STACKWATCH_REDIS_URL": redis_url,
        "STACKWATCH_DATABASE_URL": through_proxy,
        "STACKWATCH_HOST": HOST,
        "STACKWATCH_COLLECT_INTERVAL": "1",
        "STACKWATCH_STORE_INTERVAL": "2",
        "STACKWATCH_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "HOME": str(tmp_path),
    }
    sv = supervisord_factory([worker_program(tmp_path, env)])
    cache = open_cache(settings_for(redis_url=redis_url))
    try:
        wait_for(lambda: cache.heartbeat(HOST).ok, timeout=30)
        recorder = Recorder(redis_url)
        recorder.start()
        time.sleep(3)  # the faults are spread over the recording: each phase lasts this long

        proxy.stop()  # the database is unreachable
        time.sleep(8)
        proxy.start()

        sv.rpc().supervisor.stopProcess("stackwatch-worker")  # the worker is stopped
        time.sleep(6)
        sv.rpc().supervisor.startProcess("stackwatch-worker")

        pick = random.Random(12)
        for _ in range(4):  # and killed four times, at some moment once it collects again
            pid = _pid(sv)
            wait_for(lambda pid=pid: _beat_pid(cache) == pid, timeout=30)
            time.sleep(pick.uniform(0.0, 1.0))
            os.kill(pid, signal.SIGKILL)
            _running_again(sv, pid)

        recorder.join(timeout=RECORD_FOR_S * 2)
        assert recorder.error is None and recorder.finished_at is not None
        done = recorder.finished_at + 2  # the first roll after the last request, and a bit
        wait_for(lambda: (performance_stored_until(engine, HOST) or 0) > done, timeout=40)
        wait_for(lambda: _totals(engine)[3] >= JOBS // FAIL_EVERY, timeout=10)
        assert _totals(engine) == (REQUESTS, JOBS, JOBS // FAIL_EVERY, JOBS // FAIL_EVERY)
    finally:
        proxy.stop()
