"""Idempotent writes: a repeated write of the same bucket replaces the row, never doubles it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from console.core.metrics import PerformanceSnapshot, QueueSnapshot, SystemHealth
from console.core.store.engine import reading, writing
from console.core.store.models import Base, PerformanceRow, QueueRow, SystemHealthRow

MINUTE = 60
HOUR = 3600  # rollups; anything finer is a raw row


def bucket_of(ts: float, size: int) -> int:
    """The start of the bucket (UTC epoch seconds) that holds `ts`."""
    return int(ts // size) * size


def upsert(
    conn: Connection, model: type[Base], rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> int:
    """INSERT … ON CONFLICT (keys) DO UPDATE, on SQLite and PostgreSQL alike.

    Rows go in chunks so a large batch stays under SQLite's limit on bound parameters.
    """
    if not rows:
        return 0
    # Here, not at import: the console reads the store and never pays for the other dialect.
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    chunk = max(1, 30_000 // len(rows[0]))
    for start in range(0, len(rows), chunk):
        stmt = dialect.insert(model).values(list(rows[start : start + chunk]))
        updated = {c: stmt.excluded[c] for c in rows[0] if c not in keys}
        conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=updated))
    return len(rows)


def health_row(sample: SystemHealth) -> dict[str, Any]:
    return {
        "host": sample.host,
        "bucket": bucket_of(sample.ts, MINUTE),
        "resolution_s": MINUTE,
        "samples": 1,
        "scope": sample.scope,
        "cpu_percent": sample.cpu_percent,
        "load1": sample.load1,
        "mem_percent": sample.mem_percent,
        "mem_used": sample.mem_used,
        "swap_percent": sample.swap_percent,
        "disk_percent": sample.disk_percent,
        "disk_read_bps": sample.disk_read_bps,
        "disk_write_bps": sample.disk_write_bps,
        "net_rx_bps": sample.net_rx_bps,
        "net_tx_bps": sample.net_tx_bps,
        "process_count": sample.process_count,
    }


def write_health(engine: Engine, samples: Sequence[SystemHealth]) -> int:
    with writing(engine) as conn:
        return upsert(
            conn,
            SystemHealthRow,
            [health_row(s) for s in samples],
            ("host", "resolution_s", "bucket"),
        )


def write_queues(engine: Engine, snapshot: QueueSnapshot) -> int:
    rows = [
        {
            "host": snapshot.host,
            "bucket": bucket_of(snapshot.ts, MINUTE),
            "resolution_s": MINUTE,
            "samples": 1,
            "queue": q.name,
            "kind": q.kind,
            "pending": q.pending,
            "scheduled": q.scheduled,
            "reserved": q.reserved,
            "failed": q.failed,
        }
        for q in snapshot.queues
    ]
    with writing(engine) as conn:
        return upsert(conn, QueueRow, rows, ("host", "resolution_s", "bucket", "queue"))


def performance_row(perf: PerformanceSnapshot, bucket_s: int) -> dict[str, Any]:
    return {
        "host": perf.host,
        "bucket": bucket_of(perf.ts, bucket_s),
        "resolution_s": bucket_s,
        "samples": 1,
        "requests": perf.requests,
        "rps_avg": perf.rps_avg,
        "rps_peak": perf.rps_peak,
        "latency_avg_ms": perf.latency_avg_ms,
        "latency_p95_ms": perf.latency_p95_ms,
        "errors_5xx": perf.errors_5xx,
        "jobs_processed": perf.jobs_processed,
        "jobs_failed": perf.jobs_failed,
        "runtime_avg_ms": perf.runtime_avg_ms,
        "runtime_p95_ms": perf.runtime_p95_ms,
        "wait_avg_ms": perf.wait_avg_ms,
    }


def write_performance(engine: Engine, perf: PerformanceSnapshot, bucket_s: int = 300) -> int:
    return write_performance_windows(engine, [perf], bucket_s)


def write_performance_windows(
    engine: Engine, windows: Sequence[PerformanceSnapshot], bucket_s: int
) -> int:
    """Several windows in one transaction: all of them are stored, or none."""
    rows = [performance_row(perf, bucket_s) for perf in windows]
    with writing(engine) as conn:
        return upsert(conn, PerformanceRow, rows, ("host", "resolution_s", "bucket"))


def performance_stored_until(engine: Engine, host: str) -> int | None:
    """The watermark: where the newest raw performance window stored for `host` ends.

    Read from the rows themselves, so it can never disagree with them (a separate marker
    could be written without its rows, or the rows without it).
    """
    end = func.max(PerformanceRow.bucket + PerformanceRow.resolution_s)
    query = select(end).where(PerformanceRow.host == host, PerformanceRow.resolution_s < HOUR)
    with reading(engine) as conn:
        value = conn.execute(query).scalar()
    return None if value is None else int(value)
