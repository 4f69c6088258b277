"""20,000 requests and 2,000 jobs recorded across a database outage, a worker stop and four
`kill -9`s of the worker reach `performance_metrics` exactly once.

Everything is real: Redis, PostgreSQL (reached through a TCP proxy process that is killed to
make the database unreachable), supervisord running the shipped worker program, and the
application's reporting API (`Reporter.record_request`, `instrument(huey)`). The issue's
40 s outage and 30 s stop are scaled down with the intervals (collection every 1 s instead of
60, store every 2 s instead of 300): 8 s of outage is four store runs and eight rolls missed,
the same logic in a test that takes about a minute. The embedded variant (SQLite cache,
store and queue; the store locked by another process) records fewer requests, for time.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import sqlite3
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
from tests.jobs.test_worker_supervised import worker_program
from tests.support.tcpproxy import Proxy
from tests.support.waits import wait_until

HOST = "faults"
REQUESTS, JOBS, FAIL_EVERY = 20_000, 2_000, 10
RECORD_FOR_S = 36.0


class Recorder(threading.Thread):
    """The application: requests and jobs at a steady pace for RECORD_FOR_S seconds."""

    def __init__(self, settings, requests: int = REQUESTS, jobs: int = JOBS) -> None:
        super().__init__(daemon=True)
        self.settings = settings
        self.requests, self.jobs = requests, jobs
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
            for i in range(self.requests // steps):
                reporter.record_request(float(i % 50), 200 if i % 97 else 503)
            for n in range(step * self.jobs // steps, (step + 1) * self.jobs // steps):
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

    return wait_until(check, timeout=30)


class LockedSqlite:
    """The SQLite store made unusable for real: another process's exclusive write lock (the
    worker's writes wait out the busy timeout, past the store gate's deadline: "hung")."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.conn: sqlite3.Connection | None = None

    def stop(self) -> None:
        self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.conn.execute("BEGIN EXCLUSIVE")

    def start(self) -> None:
        if self.conn is not None:
            self.conn.execute("ROLLBACK")
            self.conn.close()
            self.conn = None


def _scenario(sv, cache, engine, outage, recorder: Recorder) -> None:
    """Record across an outage of the store, a worker stop and four kill -9s; then check."""
    wait_until(lambda: cache.heartbeat(HOST).ok, timeout=30)
    recorder.start()
    time.sleep(3)  # the faults are spread over the recording: each phase lasts this long

    outage.stop()  # the database is unusable
    time.sleep(8)
    outage.start()

    sv.rpc().supervisor.stopProcess("stackwatch-worker")  # the worker is stopped
    time.sleep(6)
    sv.rpc().supervisor.startProcess("stackwatch-worker")

    pick = random.Random(12)
    for _ in range(4):  # and killed four times, at some moment once it collects again
        pid = _pid(sv)
        wait_until(lambda pid=pid: _beat_pid(cache) == pid, timeout=30)
        time.sleep(pick.uniform(0.0, 1.0))
        os.kill(pid, signal.SIGKILL)
        _running_again(sv, pid)

    recorder.join(timeout=RECORD_FOR_S * 4)
    assert recorder.error is None and recorder.finished_at is not None
    done = recorder.finished_at + 2  # the first roll after the last request, and a bit
    wait_until(lambda: (performance_stored_until(engine, HOST) or 0) > done, timeout=40)
    failed = recorder.jobs // FAIL_EVERY
    wait_until(lambda: _totals(engine)[3] >= failed, timeout=10)
    assert _totals(engine) == (recorder.requests, recorder.jobs, failed, failed)


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {
        **{f"STACKWATCH_{k.upper()}": v for k, v in values.items()},
        "STACKWATCH_HOST": HOST,
        "STACKWATCH_COLLECT_INTERVAL": "1",
        "STACKWATCH_STORE_INTERVAL": "2",
        "STACKWATCH_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "HOME": str(tmp_path),
    }


@pytest.fixture(autouse=True)
def _quiet_app_jobs(caplog) -> None:
    caplog.set_level(logging.CRITICAL, logger="huey")  # the app's failing jobs, on purpose


@pytest.mark.slow
@pytest.mark.postgres
def test_counts_reach_postgresql_exactly_once_across_outage_stop_and_kills(
    redis_url: str, pg_url: str, supervisord_factory, tmp_path: Path
) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    url = make_url(pg_url)
    proxy = Proxy(url.host, url.port or 5432).start()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
    env = _env(tmp_path, redis_url=redis_url, database_url=through_proxy)
    sv = supervisord_factory([worker_program(tmp_path, env)])
    cache = open_cache(settings_for(redis_url=redis_url))
    try:
        _scenario(sv, cache, engine, proxy, Recorder(settings_for(redis_url=redis_url, host=HOST)))
    finally:
        proxy.stop()


@pytest.mark.slow
def test_counts_reach_sqlite_exactly_once_embedded(
    supervisord_factory, sqlite_url: str, tmp_path: Path
) -> None:
    """The embedded setup (SQLite cache, SQLite store, SQLite huey), smaller: the same claims
    and watermark on the other backend, with the store locked by another process."""
    engine = make_engine(sqlite_url)
    upgrade(engine)
    env = _env(tmp_path, database_url=sqlite_url)
    settings = settings_for(host=HOST, data_dir=str(tmp_path / "data"))
    sv = supervisord_factory([worker_program(tmp_path, env)])
    lock = LockedSqlite(make_url(sqlite_url).database)
    try:
        _scenario(sv, open_cache(settings), engine, lock, Recorder(settings, 4_000, 400))
    finally:
        lock.start()
