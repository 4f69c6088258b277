"""The jobs against real Redis and real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from console.core import keys
from console.core.cache import open_cache
from console.core.report import Reporter
from console.core.store.engine import make_engine, upgrade
from console.core.store.models import JobRunRow, PerformanceRow, QueueRow, SystemHealthRow
from jobs.app import build
from jobs.collection import collect_system_metrics
from jobs.context import JobContext
from jobs.performance import reset_tps_counter, store_metrics
from tests.jobs.helpers import settings_for

NOW = 1_900_000_000.0  # a bucket boundary: 1_900_000_000 % 300 == 0 is not needed, just fixed


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def ctx(redis_url: str, database_url: str) -> JobContext:
    settings = settings_for(redis_url=redis_url, database_url=database_url, store_interval=300)
    engine = make_engine(database_url)
    upgrade(engine)
    context = JobContext(settings, engine=engine)
    yield context
    context.close()


def test_one_cycle_writes_rows_latest_values_and_heartbeat(ctx: JobContext) -> None:
    reporter = Reporter(ctx.settings, ctx.cache)
    for ms in (10, 20, 30, 400):
        reporter.record_request(ms, 200)
    reporter.record_request(50, 503)
    assert not collect_system_metrics(ctx, NOW).errors
    item = reset_tps_counter(ctx, NOW + 60)
    assert (item["requests"], item["errors_5xx"]) == (5, 1)
    reset_tps_counter(ctx, NOW + 300)  # a roll in the next window closes the first one
    store_metrics(ctx, NOW + 300)
    assert _count(ctx.engine, SystemHealthRow) == 1
    assert _count(ctx.engine, QueueRow) == 0  # no queues configured, no own huey here
    assert _count(ctx.engine, PerformanceRow) == 1
    for kind in ("health", "queue", "performance"):
        assert ctx.cache.get_latest(kind, ctx.host).ok
    assert ctx.cache.heartbeat(ctx.host).ok
    perf = ctx.cache.get_latest("performance", ctx.host).payload
    assert perf["requests"] == 5 and perf["latency_p95_ms"] == 400


def test_two_workers_at_once_do_not_double_any_row(ctx: JobContext) -> None:
    other = JobContext(ctx.settings, engine=ctx.engine)
    threads = [
        threading.Thread(target=collect_system_metrics, args=(c, NOW + s))
        for c in (ctx, other)
        for s in (0, 1, 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reset_tps_counter(ctx, NOW + 60)
    reset_tps_counter(ctx, NOW + 300)
    store_metrics(ctx, NOW + 300)
    store_metrics(other, NOW + 301)
    assert _count(ctx.engine, SystemHealthRow) == 1  # one per (host, minute)
    assert _count(ctx.engine, PerformanceRow) == 1
    other.close()


def test_counter_totals_are_exact_with_8_threads_and_concurrent_resets(ctx: JobContext) -> None:
    reporter = Reporter(ctx.settings, open_cache(ctx.settings))
    done = threading.Event()

    def record() -> None:
        for _ in range(500):
            reporter.record_request(1.0, 200)

    rolled = []

    def roll() -> None:
        while not done.is_set():
            rolled.append(reset_tps_counter(ctx)["requests"])

    roller = threading.Thread(target=roll)
    roller.start()
    workers = [threading.Thread(target=record) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    roller.join()
    rolled.append(reset_tps_counter(ctx)["requests"])
    assert sum(rolled) == 8 * 500
    assert len(rolled) > 2  # resets really happened while threads were recording


def test_database_down_during_store_is_retried_then_recorded_failed(redis_url: str) -> None:
    settings = settings_for(
        redis_url=redis_url, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    huey, ctx, tasks = build(settings)
    huey.flush()
    Reporter(settings, ctx.cache).record_request(12.0, 200)
    reset_tps_counter(ctx)
    tasks["store_metrics"]()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    delays = []
    task = huey.dequeue()
    for attempt in range(4):
        huey.execute(task, now)
        scheduled = huey.scheduled()
        if attempt < 3:
            assert len(scheduled) == 1
            task = scheduled[0]
            real_now = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # huey's own clock
            delays.append(round((task.eta - real_now).total_seconds()))
            now = task.eta + dt.timedelta(seconds=1)
            huey.storage.flush_schedule()
        else:
            assert scheduled == []
    assert delays == [10, 30, 60]
    run = ctx.cache.map_all(keys.job_runs(settings.host))["store_metrics"]
    assert run["outcome"] == "error" and "database" in run["error"]
    assert ctx.cache.get_latest("performance", settings.host).ok  # latest kept flowing
    huey.flush()
    ctx.close()


def test_ledger_records_every_run(ctx: JobContext, redis_url: str) -> None:
    huey, _ctx, tasks = build(ctx.settings, ctx)
    huey.flush()
    tasks["collect_system_metrics"]()
    huey.execute(huey.dequeue())
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(JobRunRow.job, JobRunRow.outcome)).all()
    assert [tuple(r) for r in rows] == [("collect_system_metrics", "ok")]
    huey.flush()
