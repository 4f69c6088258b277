"""The metric store on SQLite and PostgreSQL: schema, idempotent writes, series, rollup, prune."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from console.cli import main
from console.core.errors import SchemaOutOfDate, SourceUnavailable
from console.core.metrics import (
    DiskUsage,
    PerformanceSnapshot,
    QueueDepth,
    QueueSnapshot,
    SystemHealth,
)
from console.core.store import queries, writes
from console.core.store.engine import (
    check_schema,
    current_revision,
    head_revision,
    make_engine,
    reading,
    shipped_head,
    stored_revision,
    upgrade,
)
from console.core.store.models import PerformanceRow, QueueRow, SystemHealthRow

T0 = 1_700_000_000 - (1_700_000_000 % 3600)  # an hour boundary


@pytest.fixture
def engine(database_url: str) -> Engine:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def health(ts: float, cpu: float, host: str = "h1") -> SystemHealth:
    return SystemHealth(
        host=host,
        ts=ts,
        cpu_percent=cpu,
        mem_percent=40.0,
        disks=(DiskUsage("/", 100, 50, 50.0), DiskUsage("/data", 100, 90, 90.0)),
    )


def count(engine: Engine, model: type) -> int:
    with reading(engine) as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_migration_up_from_empty_and_schema_check(database_url: str) -> None:
    engine = make_engine(database_url)
    with pytest.raises(SchemaOutOfDate, match="stackwatch db upgrade"):
        check_schema(engine)
    assert stored_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    assert stored_revision(engine) == current_revision(engine)
    assert shipped_head(engine) == head_revision(engine)
    check_schema(engine)
    upgrade(engine)  # twice is harmless
    engine.dispose()


def test_repeated_write_of_a_minute_never_doubles(engine: Engine) -> None:
    writes.write_health(engine, [health(T0 + 5, 10.0)])
    writes.write_health(engine, [health(T0 + 50, 30.0)])  # same minute: replaces
    writes.write_health(engine, [health(T0 + 65, 20.0)])  # next minute
    assert count(engine, SystemHealthRow) == 2
    rows = queries.recent_health(engine, "h1", since=T0)
    assert [(r.ts, r.cpu_percent) for r in rows] == [(T0, 30.0), (T0 + 60, 20.0)]
    with reading(engine) as conn:
        assert conn.execute(select(SystemHealthRow.disk_percent)).scalars().first() == 90.0


def test_queue_and_performance_writes_are_idempotent(engine: Engine) -> None:
    snap = QueueSnapshot(
        "h1", T0, (QueueDepth("mail", "huey", 3, 1, 0, 0), QueueDepth("sms", "rq", 1))
    )
    writes.write_queues(engine, snap)
    writes.write_queues(engine, snap)
    perf = PerformanceSnapshot("h1", T0 + 10, requests=600, rps_avg=2.0, rps_peak=5.0)
    writes.write_performance(engine, perf)
    writes.write_performance(engine, perf)
    assert count(engine, QueueRow) == 2
    assert count(engine, PerformanceRow) == 1


def test_series_downsamples_in_sql_with_gaps(engine: Engine) -> None:
    samples = [health(T0 + i * 60, float(i)) for i in range(60) if not 20 <= i < 30]
    writes.write_health(engine, samples)
    points = queries.series(engine, "health.cpu_percent", "h1", T0, T0 + 3600, points=6)
    assert [p.ts for p in points] == [T0 + i * 600 for i in range(6)]
    values = [p.value for p in points]
    assert values[0] == pytest.approx(4.5)  # mean of 0..9
    assert values[2] is None  # minutes 20-29 were never written
    assert values[5] == pytest.approx(54.5)
    other = queries.series(engine, "health.cpu_percent", "h2", T0, T0 + 3600, points=6)
    assert all(p.value is None for p in other)


def test_queue_series_by_name(engine: Engine) -> None:
    for i in range(3):
        writes.write_queues(
            engine,
            QueueSnapshot("h1", T0 + i * 60, (QueueDepth("a.b", "redis-list", pending=i * 10),)),
        )
    points = queries.series(engine, "queue.a.b.pending", "h1", T0, T0 + 180, points=3)
    assert [p.value for p in points] == [0, 10, 20]


def test_unknown_metric_is_refused(engine: Engine) -> None:
    with pytest.raises(queries.UnknownMetric):
        queries.series(engine, "health.host", "h1", T0, T0 + 60, 1)
    with pytest.raises(queries.UnknownMetric):
        queries.series(engine, "cpu", "h1", T0, T0 + 60, 1)


def test_rollup_then_long_range_reads_hourly_rows(engine: Engine) -> None:
    # Three hours of minutes: value = hour index; then roll the first two hours up.
    writes.write_health(engine, [health(T0 + i * 60, float(i // 60)) for i in range(180)])
    assert queries.rollup(engine, before=T0 + 2 * 3600) == 2
    assert queries.rollup(engine, before=T0 + 2 * 3600) == 2  # idempotent
    with reading(engine) as conn:
        hourly = conn.execute(
            select(SystemHealthRow.bucket, SystemHealthRow.cpu_percent, SystemHealthRow.samples)
            .where(SystemHealthRow.resolution_s == 3600)
            .order_by(SystemHealthRow.bucket)
        ).all()
    assert [tuple(r) for r in hourly] == [(T0, 0.0, 60), (T0 + 3600, 1.0, 60)]
    # A 3-hour range at 3 points uses hourly rows for hours 0-1 and raw rows for hour 2.
    points = queries.series(engine, "health.cpu_percent", "h1", T0, T0 + 3 * 3600, points=3)
    assert [p.value for p in points] == [0.0, 1.0, 2.0]


def test_prune_in_batches_never_touches_newer_rows(engine: Engine) -> None:
    writes.write_health(engine, [health(T0 + i * 60, 1.0) for i in range(100)])
    cutoff = T0 + 37 * 60
    assert queries.prune(engine, "system_health_metrics", before=cutoff, batch=10) == 37
    rows = queries.recent_health(engine, "h1", since=0)
    assert len(rows) == 63 and rows[0].ts == cutoff
    assert queries.latest_bucket(engine, "system_health_metrics") == (63, T0 + 99 * 60)


def test_sqlite_reader_and_writer_do_not_lock_each_other(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    upgrade(engine)
    errors: list[BaseException] = []

    def write(offset: int) -> None:
        try:
            for i in range(40):
                writes.write_health(engine, [health(T0 + i * 60, 1.0, host=f"w{offset}")])
                queries.prune(engine, "system_health_metrics", before=0)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    def read() -> None:
        try:
            for _ in range(40):
                queries.series(engine, "health.cpu_percent", "w0", T0, T0 + 3600, 60)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(3)]
    threads += [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert count(engine, SystemHealthRow) == 120


def test_unreachable_postgres_is_one_line() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(SourceUnavailable) as raised:
        queries.hosts(engine)
    assert "\n" not in str(raised.value) and "127.0.0.1:1" in str(raised.value)


def test_db_command_upgrades_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--database-url", url, "db", "current"]) == 1
    assert "schema none" in capsys.readouterr().out
    assert main(["--database-url", url, "db", "upgrade"]) == 0
    assert "upgraded from empty" in capsys.readouterr().out
    assert main(["--database-url", url, "db", "current"]) == 0


def test_sqlite_file_shrinks_after_prune(tmp_path: Path) -> None:
    path = tmp_path / "shrink.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    writes.write_health(engine, [health(T0 + i * 60, 1.0) for i in range(20_000)])
    engine.dispose()
    full = path.stat().st_size
    engine = make_engine(f"sqlite:///{path}")
    queries.prune(engine, "system_health_metrics", before=T0 + 19_000 * 60)
    engine.dispose()
    assert path.stat().st_size < full / 4


def test_schema_check_does_not_import_alembic(sqlite_url: str) -> None:
    """The worker checks the schema at start; alembic would cost it ~8 MB for nothing."""
    upgrade(make_engine(sqlite_url))
    code = (
        "import sys\n"
        "from console.core.store.engine import check_schema, make_engine\n"
        f"check_schema(make_engine({sqlite_url!r}))\n"
        "assert 'alembic' not in sys.modules, 'alembic imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_series_reads_performance_at_any_store_interval(engine: Engine) -> None:
    for i in range(4):
        perf = PerformanceSnapshot("h1", T0 + i * 30, rps_avg=float(i))
        writes.write_performance(engine, perf, bucket_s=30)
    points = queries.series(engine, "perf.rps_avg", "h1", T0, T0 + 120, points=2)
    assert [p.value for p in points] == [0.5, 2.5]
