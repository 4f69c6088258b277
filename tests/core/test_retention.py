"""Rollup and prune walk the time index in windows: every row in range once, none outside it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, select

from console.core.metrics import SystemHealth
from console.core.store import queries, retention, writes
from console.core.store.engine import make_engine, reading, upgrade, writing
from console.core.store.models import JobRunRow, SystemHealthRow

T0 = 1_700_000_000 - (1_700_000_000 % 3600)  # an hour boundary
DAY = 86400


@pytest.fixture
def engine(database_url: str) -> Engine:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def minutes(start: float, count: int, host: str = "h1", cpu: float = 1.0) -> list[SystemHealth]:
    return [SystemHealth(host=host, ts=start + i * 60, cpu_percent=cpu) for i in range(count)]


def buckets(engine: Engine, resolution: int) -> list[tuple[str, int]]:
    m = SystemHealthRow
    query = select(m.host, m.bucket).where(m.resolution_s == resolution).order_by(m.bucket, m.host)
    with reading(engine) as conn:
        return [tuple(r) for r in conn.execute(query)]


def test_prune_crosses_gaps_and_stops_at_the_cutoff(engine: Engine) -> None:
    # Dense minutes, a gap of 100 days, dense minutes again: the windows must cross the gap
    # in a few steps and delete exactly the rows before the cutoff, none after it.
    writes.write_health(engine, minutes(T0, 90) + minutes(T0, 90, host="h2"))
    later = T0 + 100 * DAY
    writes.write_health(engine, minutes(later, 30) + minutes(later, 30, host="h2"))
    cutoff = later + 17 * 60
    assert queries.prune(engine, "system_health_metrics", before=cutoff, batch=7) == 2 * 107
    left = buckets(engine, 60)
    assert len(left) == 2 * 13 and left[0][1] == cutoff


def test_prune_of_raw_rows_keeps_the_rollups_and_back(engine: Engine) -> None:
    writes.write_health(engine, minutes(T0, 180))
    assert queries.rollup(engine, before=T0 + 3 * 3600) == 3
    assert queries.prune(engine, "system_health_metrics", T0 + 3 * 3600, rollups=False) == 180
    assert buckets(engine, 3600) == [("h1", T0), ("h1", T0 + 3600), ("h1", T0 + 7200)]
    assert queries.prune(engine, "system_health_metrics", T0 + 3600, rollups=True) == 1
    assert len(buckets(engine, 3600)) == 2


def test_rollup_in_small_windows_matches_one_window(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two hosts, ten hours, values that differ by hour; windows of about one hourly row.
    for host, base in (("a", 0.0), ("b", 100.0)):
        samples = [
            SystemHealth(host=host, ts=T0 + i * 60, cpu_percent=base + i // 60) for i in range(600)
        ]
        writes.write_health(engine, samples)
    monkeypatch.setattr(retention, "ROLLUP_TARGET_ROWS", 1)
    assert queries.rollup(engine, before=T0 + 10 * 3600, after=T0 + 3600) == 2 * 9
    m = SystemHealthRow
    with reading(engine) as conn:
        rows = conn.execute(
            select(m.host, m.bucket, m.cpu_percent, m.samples)
            .where(m.resolution_s == 3600)
            .order_by(m.host, m.bucket)
        ).all()
    expected = [
        (host, T0 + h * 3600, base + h, 60)
        for host, base in (("a", 0.0), ("b", 100.0))
        for h in range(1, 10)
    ]
    assert [tuple(r) for r in rows] == expected
    # Again, in one wide window: the same rows, updated in place, not doubled.
    monkeypatch.setattr(retention, "ROLLUP_TARGET_ROWS", 10_000)
    assert queries.rollup(engine, before=T0 + 10 * 3600) == 2 * 10
    assert len(buckets(engine, 3600)) == 2 * 10


def test_prune_of_a_log_table_by_its_float_time(engine: Engine) -> None:
    runs = [
        {"host": "h1", "job": "collect", "started": T0 + i * 60.5, "outcome": "ok"}
        for i in range(50)
    ]
    with writing(engine) as conn:
        conn.execute(JobRunRow.__table__.insert(), runs)
    assert queries.prune(engine, "job_runs", before=T0 + 20 * 60.5, batch=3) == 20
    assert queries.latest_bucket(engine, "job_runs") == (30, T0 + 49 * 60.5)


def test_every_pruned_table_has_an_index_leading_on_its_time(engine: Engine) -> None:
    found = inspect(engine)
    for name, model in queries.TABLES.items():
        column = queries.TIME_COLUMN.get(name, "bucket" if hasattr(model, "bucket") else "ts")
        leading = {ix["column_names"][0] for ix in found.get_indexes(name)}
        assert column in leading, f"{name} has no index leading on {column}"
