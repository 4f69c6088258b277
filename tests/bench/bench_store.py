"""History queries and store size, beside the naive reference measured in the same run.

    .venv/bin/python -m tests.bench.bench_store [--pg URL] [--hosts 50]
    .venv/bin/python -m tests.bench.bench_store --load-only --hosts 500 --days 10 --h0-days 30

Loads (once per run, in a temporary SQLite file and a temporary PostgreSQL database):
host h0 with a full year of minute rows, hosts h1..hN-1 with 30 days, in time order as the
workers write them; then rolls everything up to hourly rows and prunes raw rows past 7 days,
as the worker does at steady state. Each phase is reported per host-day, wall and CPU (this
process and its PostgreSQL server processes): flat per host-day is what scaling means here.
The reference is the same hourly GROUP BY over the raw minute rows, kept in a copy table.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psutil
from sqlalchemy import Engine, create_engine, event, text

from console.core.store import queries
from console.core.store.engine import make_engine, upgrade
from tests.bench.common import Row, print_table, timed

MINUTE, HOUR, DAY = 60, 3600, 86400
NOW = int(time.time()) // HOUR * HOUR
YEAR = 365 * DAY


@dataclass(frozen=True)
class Shape:
    """How much history each host gets: h0 `h0_days`, the others `days`; `keep_days` stay raw."""

    h0_days: int = 365
    days: int = 30
    keep_days: int = 7


RAW_INSERT = """
INSERT INTO system_health_metrics (host, bucket, resolution_s, samples, scope, cpu_percent,
    load1, mem_percent, mem_used, swap_percent, disk_percent, process_count)
SELECT :host, b, 60, 1, 'host', 20 + (b % 977) / 20.0, 0.5, 40 + (b % 613) / 50.0, 1000000,
    1.0, 55.0, 200
FROM {series}
"""
SQLITE_SERIES = (
    "(WITH RECURSIVE s(b) AS (SELECT :start UNION ALL SELECT b + 60 FROM s WHERE b + 60 < :end)"
    " SELECT b FROM s)"
)
# Every host's rows of one day, in time order: the order the workers write in (appending at
# the end of the time index), not host after host (which rewrites the whole index each time).
FLEET_INSERT = """
INSERT INTO system_health_metrics (host, bucket, resolution_s, samples, scope, cpu_percent,
    load1, mem_percent, mem_used, swap_percent, disk_percent, process_count)
SELECT bh.host, b, 60, 1, 'host', 20 + (b % 977) / 20.0, 0.5, 40 + (b % 613) / 50.0, 1000000,
    1.0, 55.0, 200
FROM {series} CROSS JOIN bench_hosts bh WHERE b >= bh.since ORDER BY b, bh.host
"""
PG_SERIES = "generate_series(CAST(:start AS bigint), CAST(:end AS bigint) - 60, 60) AS b"


BACKENDS: set[int] = set()  # the PostgreSQL server processes serving this bench's engine


def watch_backends(engine: Engine) -> None:
    """Count the CPU of the server processes too: PostgreSQL's work is done there."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: object, _record: object) -> None:
        BACKENDS.add(dbapi_connection.info.backend_pid)  # type: ignore[attr-defined]


def _cpu() -> float:
    total = time.process_time()
    for pid in BACKENDS:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:  # a closed connection's process: its time is lost to the sum
            continue
        total += times.user + times.system
    return total


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), _cpu()


def _since(started: tuple[float, float]) -> tuple[float, float]:
    """(wall, CPU) seconds: this process (SQLite's work) plus its PostgreSQL server processes.
    On a shared machine the CPU says more than the wall time."""
    wall, cpu = _clocks()
    return wall - started[0], cpu - started[1]


def load(
    engine: Engine, hosts: int, shape: Shape, reference: bool = True
) -> dict[str, tuple[float, float]]:
    """Insert, roll up, prune; returns the (wall, CPU) seconds of each phase."""
    series = SQLITE_SERIES if engine.dialect.name == "sqlite" else PG_SERIES
    phases: dict[str, float] = {}
    started = _clocks()
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_hosts (host VARCHAR(255), since BIGINT)"))
        conn.execute(
            text("INSERT INTO bench_hosts VALUES (:host, :since)"),
            [
                {"host": f"h{i}", "since": NOW - (shape.h0_days if i == 0 else shape.days) * DAY}
                for i in range(hosts)
            ],
        )
    oldest = NOW - max(shape.h0_days, shape.days if hosts > 1 else 0) * DAY
    chunk = max(HOUR, 50_000 // hosts * MINUTE // HOUR * HOUR)  # ~50,000 rows a statement
    for start in range(oldest, NOW, chunk):
        with engine.begin() as conn:
            conn.execute(
                text(FLEET_INSERT.format(series=series)),
                {"start": start, "end": min(start + chunk, NOW)},
            )
    phases["insert"] = _since(started)
    if engine.dialect.name == "postgresql":
        # What autovacuum does to insert-only tables (this server runs with it off): set the
        # visibility map, so index-only scans need not visit the heap.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SET statement_timeout = 0"))
            conn.execute(text("VACUUM ANALYZE system_health_metrics"))
    if reference:  # the reference keeps every raw row; the store rollups + `keep_days` raw
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":  # copying 500 hosts' rows takes minutes
                conn.execute(text("SET LOCAL statement_timeout = 0"))
            conn.execute(text("CREATE TABLE raw_reference AS SELECT * FROM system_health_metrics"))
            conn.execute(text("CREATE INDEX raw_ref_idx ON raw_reference (host, bucket)"))
    started = _clocks()
    queries.rollup(engine, before=NOW)
    phases["rollup"] = _since(started)
    started = _clocks()
    queries.prune(
        engine,
        "system_health_metrics",
        before=NOW - shape.keep_days * DAY,
        batch=50_000,
        rollups=False,
    )
    phases["prune"] = _since(started)
    # Steady state: autovacuum would have cleared the pruned rows' dead index entries by now.
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SET statement_timeout = 0"))  # minutes at 500 hosts
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return phases


def report_load(
    engine_name: str, phases: dict[str, tuple[float, float]], hosts: int, shape: Shape
) -> None:
    """One line per engine: each phase's cost per host-day (flat = it scales), wall and CPU."""
    host_days = shape.h0_days + (hosts - 1) * shape.days
    parts = [
        f"{name} {wall / host_days * 1e3:.2f} ms ({cpu / host_days * 1e3:.2f} CPU)"
        for name, (wall, cpu) in phases.items()
    ]
    total = sum(wall for wall, _ in phases.values())
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{engine_name}, {hosts} hosts, {host_days} host-days: {total:.1f} s; per host-day "
        f"{'; '.join(parts)}  [load {load}]",
        flush=True,
    )


def reference_query(engine: Engine, host: str, since: int, step: int) -> list:
    sql = text(
        "SELECT (bucket - :since) / :step AS slot, AVG(cpu_percent) FROM raw_reference "
        "WHERE host = :host AND bucket >= :since AND bucket < :until GROUP BY slot ORDER BY slot"
    )
    with engine.connect() as conn:
        return conn.execute(sql, {"host": host, "since": since, "until": NOW, "step": step}).all()


def query_rows(engine: Engine, label: str, host: str) -> list[Row]:
    rows = []
    for what, span, points, goal in (
        ("30 days → 200 points", 30 * DAY, 200, "< 20 ms"),
        ("24 h at 1 min", DAY, 1440, "< 5 ms"),
    ):
        ours = timed(
            lambda span=span, points=points: queries.series(
                engine, "health.cpu_percent", host, NOW - span, NOW, points
            ),
            runs=9,
        )
        step = max(60, span // points)
        ref = timed(
            lambda span=span, step=step: reference_query(engine, host, NOW - span, step), runs=9
        )
        rows.append(Row(f"{label}, {what}, host {host}", ours, ref, "GROUP BY over raw rows", goal))
    return rows


def store_size(tmp: Path) -> list[Row]:
    """One host-year: raw rows only vs steady state (rollups + 7 days raw), file sizes."""
    path = tmp / "size.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            text(RAW_INSERT.format(series=SQLITE_SERIES)),
            {"host": "h0", "start": NOW - YEAR, "end": NOW},
        )
    engine.dispose()
    raw_mb = os.path.getsize(path) / 1e6 + _wal(path)
    engine = make_engine(f"sqlite:///{path}")
    queries.rollup(engine, before=NOW)
    queries.prune(
        engine, "system_health_metrics", before=NOW - 7 * DAY, batch=50_000, rollups=False
    )
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    steady_mb = os.path.getsize(path) / 1e6 + _wal(path)
    from tests.bench.common import Stats

    return [
        Row(
            "store size per host-year (system health table), steady state",
            Stats(steady_mb, steady_mb, steady_mb, 1),
            Stats(raw_mb, raw_mb, raw_mb, 1),
            "raw minute rows, no rollups",
            "≤ 20 MB and the file shrinks",
            unit="MB",
        )
    ]


def _wal(path: Path) -> float:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size / 1e6 if wal.exists() else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--days", type=int, default=30, help="days of minute rows, h1..")
    parser.add_argument("--h0-days", type=int, default=365, help="days of minute rows, h0")
    parser.add_argument("--keep-days", type=int, default=7, help="raw days kept by the prune")
    parser.add_argument(
        "--load-only", action="store_true", help="time insert/rollup/prune per host-day only"
    )
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    shape = Shape(args.h0_days, args.days, args.keep_days)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_sqlite:
            rows += sqlite_rows(Path(tmp), args, shape)
        rows += postgres_rows(args.pg, args.hosts, shape, args.load_only)
    if rows:
        print_table(f"History store ({args.hosts} hosts; h0 has {shape.h0_days} days)", rows)


def sqlite_rows(tmp: Path, args: argparse.Namespace, shape: Shape) -> list[Row]:
    rows: list[Row] = []
    sqlite_engine = make_engine(f"sqlite:///{tmp}/bench.db")
    upgrade(sqlite_engine)
    phases = load(sqlite_engine, args.hosts, shape, reference=not args.load_only)
    report_load("SQLite", phases, args.hosts, shape)
    if not args.load_only:
        rows += query_rows(sqlite_engine, "SQLite", "h0")
        rows += query_rows(sqlite_engine, "SQLite", f"h{args.hosts - 1}")
        rows += store_size(tmp)
    sqlite_engine.dispose()
    return rows


def postgres_rows(admin_url: str, hosts: int, shape: Shape, load_only: bool) -> list[Row]:
    name = f"stackwatch_bench_{uuid.uuid4().hex[:8]}"
    if admin_url == "none":
        return []
    admin = create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as exc:
        print(f"PostgreSQL not available ({type(exc).__name__}); skipping its rows")
        return []
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    watch_backends(engine)
    try:
        upgrade(engine)
        report_load("PostgreSQL", load(engine, hosts, shape, not load_only), hosts, shape)
        if load_only:
            return []
        return query_rows(engine, "PostgreSQL", "h0") + query_rows(
            engine, "PostgreSQL", f"h{hosts - 1}"
        )
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()


if __name__ == "__main__":
    main()
