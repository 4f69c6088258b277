"""The stored values of one past moment: the row of that minute (or of the raw interval that
covers it), else the hourly rollup of that hour; each answer says which it is.

Every lookup is an equality on the (host, resolution_s, bucket) index plus one range on
bucket, so a year of rows answers as fast as a day's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from console.core.metrics import (
    DiskUsage,
    PerformanceSnapshot,
    QueueDepth,
    QueueSnapshot,
    SystemHealth,
)
from console.core.sanitize import clean
from console.core.store.engine import reading
from console.core.store.models import PerformanceRow, QueueRow, SystemHealthRow
from console.core.store.queries import _finite as finite
from console.core.store.writes import HOUR


@dataclass(frozen=True)
class Found:
    """Which stored row answered: its bucket start and resolution."""

    bucket: int
    resolution_s: int

    @property
    def note(self) -> str:
        """'stored minute', 'stored 5-min row', 'hourly rollup' (what the panel says)."""
        if self.resolution_s == 60:
            return "stored minute"
        if self.resolution_s >= HOUR:
            return "hourly rollup"
        if self.resolution_s % 60:
            return f"stored {self.resolution_s}-s row"
        return f"stored {self.resolution_s // 60}-min row"


def _bucket_at(conn: Any, model: Any, host: str, at: float) -> Found | None:
    """The finest stored row covering `at` (raw within two intervals, else the hour's rollup)."""
    raw = conn.execute(
        select(func.min(model.resolution_s)).where(model.host == host)
    ).scalar_one_or_none()
    choices = [raw] if raw is not None and raw < HOUR else []
    for resolution in (*choices, HOUR):
        span = 2 * resolution if resolution < HOUR else HOUR
        bucket = conn.execute(
            select(func.max(model.bucket)).where(
                model.host == host,
                model.resolution_s == resolution,
                model.bucket <= int(at),
                model.bucket > int(at) - span,
            )
        ).scalar_one_or_none()
        if bucket is not None:
            return Found(int(bucket), int(resolution))
    return None


def _int(value: Any) -> int | None:
    """A stored count as an int; what is no finite number (SQLite keeps any type) is None."""
    number = finite(value)
    return None if number is None else int(number)


def _row(conn: Any, model: Any, host: str, found: Found) -> Any:
    return conn.execute(
        select(model).where(
            model.host == host,
            model.resolution_s == found.resolution_s,
            model.bucket == found.bucket,
        )
    ).all()


def health_at(engine: Engine, host: str, at: float) -> tuple[SystemHealth | None, Found | None]:
    with reading(engine) as conn:
        found = _bucket_at(conn, SystemHealthRow, host, at)
        row = next(iter(_row(conn, SystemHealthRow, host, found)), None) if found else None
    if row is None or found is None:
        return None, None
    disk = finite(row.disk_percent)
    disks = () if disk is None else (DiskUsage("fullest", 0, 0, disk),)
    return SystemHealth(
        host=host,
        ts=float(found.bucket),
        scope="container" if row.scope == "container" else "host",
        cpu_percent=finite(row.cpu_percent),
        load1=finite(row.load1),
        mem_percent=finite(row.mem_percent),
        mem_used=_int(row.mem_used),
        swap_percent=finite(row.swap_percent),
        disks=disks,
        disk_read_bps=finite(row.disk_read_bps),
        disk_write_bps=finite(row.disk_write_bps),
        net_rx_bps=finite(row.net_rx_bps),
        net_tx_bps=finite(row.net_tx_bps),
        process_count=_int(row.process_count),
    ), found


def queues_at(engine: Engine, host: str, at: float) -> tuple[QueueSnapshot | None, Found | None]:
    with reading(engine) as conn:
        found = _bucket_at(conn, QueueRow, host, at)
        rows = list(_row(conn, QueueRow, host, found)) if found else []
    if not rows or found is None:
        return None, None
    depths = tuple(
        QueueDepth(
            clean(str(r.queue), 200),
            clean(str(r.kind), 32),
            *(_int(v) for v in (r.pending, r.scheduled, r.reserved, r.failed)),
        )
        for r in sorted(rows, key=lambda r: str(r.queue))
    )
    return QueueSnapshot(host, float(found.bucket), depths), found


def performance_at(
    engine: Engine, host: str, at: float
) -> tuple[PerformanceSnapshot | None, Found | None]:
    with reading(engine) as conn:
        found = _bucket_at(conn, PerformanceRow, host, at)
        row = next(iter(_row(conn, PerformanceRow, host, found)), None) if found else None
    if row is None or found is None:
        return None, None
    return PerformanceSnapshot(
        host=host,
        ts=float(found.bucket),
        window_s=float(found.resolution_s),
        requests=_int(row.requests) or 0,
        rps_avg=finite(row.rps_avg),
        rps_peak=finite(row.rps_peak),
        latency_avg_ms=finite(row.latency_avg_ms),
        latency_p95_ms=finite(row.latency_p95_ms),
        errors_5xx=_int(row.errors_5xx) or 0,
        jobs_processed=_int(row.jobs_processed) or 0,
        jobs_failed=_int(row.jobs_failed) or 0,
        runtime_avg_ms=finite(row.runtime_avg_ms),
        runtime_p95_ms=finite(row.runtime_p95_ms),
        wait_avg_ms=finite(row.wait_avg_ms),
    ), found
