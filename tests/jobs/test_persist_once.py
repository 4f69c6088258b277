"""Every count reaches the store exactly once: outages of the database or of the worker delay
rows, a crash half-way through a roll or a store loses nothing, a doubled run doubles nothing.

Real Redis and real databases; a database outage is a real refused connection (a context
whose engine points at a closed port) sharing the cache with the healthy one.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from console.core import keys
from console.core.errors import SourceUnavailable
from console.core.report import Reporter
from console.core.store.engine import make_engine, upgrade
from console.core.store.models import JobFailureRow, PerformanceRow
from console.core.store.writes import performance_stored_until
from jobs.context import JobContext
from jobs.performance import _claim, closed_windows, reset_tps_counter, store_metrics
from tests.jobs.helpers import settings_for

T0 = 1_900_000_200.0  # a window boundary for a 60 s store interval (and for 300 s)
DEAD_DB = "postgresql+psycopg://nobody@127.0.0.1:1/none"


@pytest.fixture
def ctx(redis_url: str, database_url: str) -> JobContext:
    settings = settings_for(
        redis_url=redis_url, database_url=database_url, collect_interval=10, store_interval=60
    )
    engine = make_engine(database_url)
    upgrade(engine)
    context = JobContext(settings, engine=engine)
    yield context
    context.close()


def _stored(ctx: JobContext, column: str = "requests") -> tuple[int, int]:
    """(rows, sum of a column) in performance_metrics."""
    with ctx.engine.connect() as conn:
        rows, total = conn.execute(
            select(func.count(), func.coalesce(func.sum(getattr(PerformanceRow, column)), 0))
        ).one()
    return int(rows), int(total)


def _record(ctx: JobContext, count: int, status: int = 200) -> None:
    reporter = Reporter(ctx.settings, ctx.cache)
    for _ in range(count):
        reporter.record_request(5.0, status)


def _job_event(ctx: JobContext, outcome: str) -> None:
    event = {"ts": T0, "task": "t", "queue": "q", "outcome": outcome, "runtime_ms": 3.0}
    ctx.cache.push(keys.job_events(ctx.host), event, 1000)


def test_closed_windows_are_those_before_the_newest_items_window() -> None:
    assert closed_windows([], 60) == []
    assert closed_windows([0.0, 10, 59, 60, 125], 60) == [0, 60]
    assert closed_windows([0.0, 10], 60) == []  # the newest window is still open


def test_a_database_outage_delays_rows_and_loses_none(ctx: JobContext) -> None:
    down = JobContext(ctx.settings, engine=make_engine(DEAD_DB), cache=ctx.cache)
    for step in range(30):  # five minutes of rolls every 10 s, a store every minute
        now = T0 + 10 * step
        _record(ctx, 7)
        _job_event(ctx, "ok" if step % 3 else "error")
        reset_tps_counter(ctx, now)
        if step % 6 == 5:
            with pytest.raises(SourceUnavailable):
                store_metrics(down, now)
    assert _stored(ctx) == (0, 0)
    reset_tps_counter(ctx, T0 + 300)
    store_metrics(ctx, T0 + 300)
    assert _stored(ctx) == (5, 30 * 7)  # five closed windows, every request
    assert _stored(ctx, "jobs_processed")[1] == 30
    assert _stored(ctx, "jobs_failed")[1] == 10
    assert performance_stored_until(ctx.engine, ctx.host) == T0 + 300
    store_metrics(ctx, T0 + 301)  # a doubled (or retried) run writes nothing twice
    assert _stored(ctx) == (5, 30 * 7)


def test_counts_recorded_while_the_worker_is_stopped_land_in_the_next_roll(ctx) -> None:
    reset_tps_counter(ctx, T0)
    _record(ctx, 40)  # no roll for 5 minutes: the worker is stopped
    reset_tps_counter(ctx, T0 + 300)
    reset_tps_counter(ctx, T0 + 360)
    store_metrics(ctx, T0 + 360)
    assert _stored(ctx) == (2, 40)


def test_a_roll_killed_after_claiming_loses_nothing(ctx: JobContext) -> None:
    _record(ctx, 25)
    _record(ctx, 3, status=503)
    _job_event(ctx, "ok")
    _claim(ctx)  # the worker dies here: the counts sit in the staged keys
    _record(ctx, 2)
    item = reset_tps_counter(ctx, T0)
    assert (item["requests"], item["errors_5xx"], item["jobs"]) == (30, 3, 1)
    assert reset_tps_counter(ctx, T0 + 10)["requests"] == 0  # and only once


def test_job_failures_are_stored_once_even_when_a_store_is_cut_short(ctx: JobContext) -> None:
    key = keys.job_failures(ctx.host)
    for n in range(3):
        failure = {"ts": T0 + n, "task": "t", "task_id": f"id{n}", "queue": "q", "exception": "E"}
        ctx.cache.push(key, failure, 1000)
    down = JobContext(ctx.settings, engine=make_engine(DEAD_DB), cache=ctx.cache)
    reset_tps_counter(ctx, T0)
    with pytest.raises(SourceUnavailable):
        store_metrics(down, T0 + 60)
    # stored, but the worker died before clearing the staged list: stored again next time
    from console.core.store import ledger

    ledger.record_failures(ctx.engine, ctx.host, ctx.cache.claim_items(key, keys.staged(key)))
    store_metrics(ctx, T0 + 120)
    store_metrics(ctx, T0 + 180)
    with ctx.engine.connect() as conn:
        ids = conn.execute(select(JobFailureRow.task_id).order_by(JobFailureRow.ts)).scalars()
        assert list(ids) == ["id0", "id1", "id2"]
    assert ctx.cache.items(key, 10) == []
