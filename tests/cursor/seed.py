"""A store seeded with known rows: two days of minute rows, hourly rollups before that,
performance rows every 5 minutes, and a program's transitions at known times."""

from __future__ import annotations

from sqlalchemy import Engine, insert

from console.core.metrics import PerformanceSnapshot, SystemHealth
from console.core.store import queries, writes
from console.core.store.engine import writing
from console.core.store.models import PerformanceRow, ProcessEventRow, QueueRow

HOST = "web1"
DAY = 86400
NOW = 1_790_000_000 - (1_790_000_000 % 3600)  # an hour boundary: the tests' clock
CRASH = NOW - 2 * 3600  # web:app crashed here, and was back at CRASH + 120


def cpu_at(ts: float) -> float:
    """A value that tells every minute apart: the minute of the day."""
    return float(int(ts) % DAY // 60 % 100)


def pending_at(ts: float) -> int:
    return int(ts) % 3600 // 60


def seed(engine: Engine, days_raw: int = 1, days_rolled: int = 4) -> None:
    start = NOW - (days_raw + days_rolled) * DAY
    minutes = range(start, NOW, 60)
    health = [SystemHealth(HOST, t, cpu_percent=cpu_at(t), mem_percent=50.0) for t in minutes]
    writes.write_health(engine, health)
    queue_rows = [queue_row(t) for t in minutes]
    perf_rows = [
        writes.performance_row(PerformanceSnapshot(HOST, t, requests=300, rps_avg=1.0), 300)
        for t in range(start, NOW, 300)
    ]
    with writing(engine) as conn:
        conn.execute(insert(QueueRow), queue_rows)
        conn.execute(insert(PerformanceRow), perf_rows)
    # roll up what is older than the raw retention, then drop those raw rows
    cut = NOW - days_raw * DAY
    queries.rollup(engine, before=cut, after=start)
    for table in ("system_health_metrics", "queue_metrics", "performance_metrics"):
        queries.prune(engine, table, cut, rollups=False)
    seed_events(engine)


def queue_row(ts: int) -> dict:
    return {
        "host": HOST,
        "bucket": ts,
        "resolution_s": 60,
        "samples": 1,
        "queue": "default",
        "kind": "redis-list",
        "pending": pending_at(ts),
        "failed": 1,
    }


def event(ts: float, from_state: str | None, to_state: str, pid: int | None = None, **kw) -> dict:
    return {
        "host": HOST,
        "endpoint": "local",
        "program": kw.pop("program", "web:app"),
        "ts": ts,
        "from_state": from_state,
        "to_state": to_state,
        "pid": pid,
        "kind": "process",
        "exitstatus": kw.pop("exitstatus", None),  # every row names every column (executemany)
        "expected": kw.pop("expected", None),
    }


def seed_events(engine: Engine) -> None:
    rows = [
        event(NOW - 3 * DAY, None, "RUNNING", 100),
        event(NOW - 3 * DAY, None, "RUNNING", 200, program="worker:w0"),
        event(CRASH, "RUNNING", "EXITED", None, exitstatus=3, expected=False),
        event(CRASH + 1, "EXITED", "STARTING", 101),
        event(CRASH + 2, "STARTING", "BACKOFF", None),
        event(CRASH + 5, "BACKOFF", "STARTING", 102),
        event(CRASH + 120, "STARTING", "RUNNING", 102),
    ]
    with writing(engine) as conn:
        conn.execute(insert(ProcessEventRow), rows)
