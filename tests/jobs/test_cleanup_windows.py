"""The daily cleanup as the worker runs it (a float clock): the rollup covers the retention
window, raw rows past retention go, the last day's raw rows and every rollup stay."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from console.core.metrics import SystemHealth
from console.core.store import writes
from console.core.store.engine import make_engine, reading, upgrade
from console.core.store.models import SystemHealthRow
from jobs.context import JobContext
from jobs.maintenance import cleanup_old_metrics
from tests.jobs.helpers import settings_for

DAY = 86400
NOW = 1_700_000_000 - (1_700_000_000 % 3600) + 1234.56  # not on a minute: as time.time()


@pytest.fixture
def ctx(redis_url: str, database_url: str) -> JobContext:
    settings = settings_for(redis_url=redis_url, database_url=database_url, retention_days=3)
    engine = make_engine(database_url)
    upgrade(engine)
    context = JobContext(settings, engine=engine)
    yield context
    context.close()


def counts(ctx: JobContext) -> dict[int, tuple[int, float]]:
    m = SystemHealthRow
    query = select(m.resolution_s, func.count(), func.min(m.bucket)).group_by(m.resolution_s)
    with reading(ctx.engine) as conn:
        return {int(r): (int(n), float(first)) for r, n, first in conn.execute(query)}


def test_cleanup_rolls_up_the_retention_window_and_prunes_past_it(ctx: JobContext) -> None:
    start = NOW - 5 * DAY
    for host in ("a", "b"):  # five days of minutes, every 10 minutes to keep it quick
        samples = [
            SystemHealth(host=host, ts=start + i * 600, cpu_percent=float(i % 7))
            for i in range(5 * 144)
        ]
        writes.write_health(ctx.engine, samples)
    cleanup_old_metrics(ctx, now=NOW)
    found = counts(ctx)
    raw_cut = NOW - 3 * DAY
    raw_count, first_raw = found[60]
    assert first_raw >= raw_cut  # nothing older than retention is left, nothing newer went
    kept = [i for i in range(5 * 144) if writes.bucket_of(start + i * 600, 60) >= raw_cut]
    assert raw_count == 2 * len(kept)
    hourly_count, first_hour = found[3600]
    # hours from the retention cut to a day ago, per host, all rolled up
    assert first_hour <= raw_cut and hourly_count >= 2 * 47
