"""Reads that return plain dataclasses, and the maintenance queries (rollup, prune).

One place decides how each column aggregates: counts add up, peaks and p95s take the maximum,
everything else averages. Rollups and downsampled series use the same rule, so a chart that
mixes hourly rollups (old) with raw rows (the current hour) stays consistent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, func, or_, select

from console.core.metrics import Point, SystemHealth
from console.core.recent import COUNT_COLUMNS, MAX_COLUMNS  # the same aggregation as the cache
from console.core.store.engine import reading
from console.core.store.models import (
    AlertHistoryRow,
    AuditRow,
    Base,
    JobFailureRow,
    JobRunRow,
    PerformanceRow,
    ProcessEventRow,
    QueueRow,
    SystemHealthRow,
)
from console.core.store.writes import HOUR

# Raw rows are anything finer than an hour (the store interval is a setting); rollups are hourly.
METRIC_MODELS = (SystemHealthRow, QueueRow, PerformanceRow)
KEY_COLUMNS = {"id", "host", "bucket", "resolution_s", "queue", "kind", "scope"}
TABLES: dict[str, type[Base]] = {
    m.__tablename__: m
    for m in (
        SystemHealthRow,
        QueueRow,
        PerformanceRow,
        JobRunRow,
        JobFailureRow,
        ProcessEventRow,
        AuditRow,
        AlertHistoryRow,
    )
}
TIME_COLUMN = {"job_runs": "started"}


class UnknownMetric(ValueError):
    """The metric name does not name a table column."""


@dataclass(frozen=True)
class MetricRef:
    model: type[Base]
    column: str
    queue: str | None = None


def parse_metric(metric: str) -> MetricRef:
    """'health.cpu_percent', 'queue.<name>.pending', 'perf.rps_avg' -> table and column."""
    family, _, rest = metric.partition(".")
    queue = None
    if family == "queue":
        queue, _, column = rest.rpartition(".")
        model: type[Base] = QueueRow
    elif family in ("health", "perf"):
        column = rest
        model = SystemHealthRow if family == "health" else PerformanceRow
    else:
        raise UnknownMetric(f"unknown metric {metric!r}")
    if (
        column in KEY_COLUMNS
        or column not in model.__table__.c
        or (family == "queue" and not queue)
    ):
        raise UnknownMetric(f"unknown metric {metric!r}")
    return MetricRef(model, column, queue)


def aggregate(column: Any, name: str) -> Any:
    if name in COUNT_COLUMNS:
        return func.sum(column)
    if name in MAX_COLUMNS:
        return func.max(column)
    return func.avg(column)


def _resolution_filter(model: Any, host: str, step: int, queue: str | None) -> ColumnElement[bool]:
    """Raw rows for short steps; hourly rollups plus the raw rows not yet rolled up otherwise.

    The raw resolution is looked up (the finest this host writes: the store interval is a
    setting) so every branch is an equality on the index (host, resolution_s, bucket) and
    reads only the rows in range, however many other hosts and resolutions the table holds.
    """
    same = (model.host == host, *_queue_filter(model, queue))
    raw = select(func.min(model.resolution_s)).where(*same).scalar_subquery()
    if step < HOUR:
        return model.resolution_s == raw
    newest_hourly = select(func.max(model.bucket)).where(*same, model.resolution_s == HOUR)
    cut = func.coalesce(newest_hourly.scalar_subquery(), -HOUR) + HOUR
    return or_(
        and_(model.resolution_s == HOUR, model.bucket < cut),
        and_(model.resolution_s == raw, model.bucket >= cut),
    )


def _queue_filter(model: Any, queue: str | None) -> list[ColumnElement[bool]]:
    return [model.queue == queue] if queue is not None else []


def series(
    engine: Engine, metric: str, host: str, since: float, until: float, points: int
) -> list[Point]:
    """`points` evenly spaced values between since and until, averaged in SQL; None = no data."""
    ref = parse_metric(metric)
    model: Any = ref.model
    points = max(1, points)
    start = int(since)
    step = max(60, math.ceil((until - since) / points))
    slot = ((model.bucket - start) // step).label("slot")  # integer division on both dialects
    query = (
        select(slot, aggregate(getattr(model, ref.column), ref.column))
        .where(
            model.host == host,
            model.bucket >= start,
            model.bucket < int(until),
            _resolution_filter(model, host, step, ref.queue),
            *_queue_filter(model, ref.queue),
        )
        .group_by(slot)
    )
    with reading(engine) as conn:
        rows = conn.execute(query).all()  # one fetch, not a driver call per row
    values = {int(s): f for s, v in rows if (f := _finite(v)) is not None}
    count = math.ceil((until - since) / step)
    return [Point(start + i * step, values.get(i)) for i in range(count)]


def _finite(value: Any) -> float | None:
    """A stored value that can be drawn, as a float (Decimal from PostgreSQL sums included);
    NaN and Infinity (PostgreSQL keeps them) or text (SQLite keeps any type) are a gap."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def recent_health(engine: Engine, host: str, since: float) -> list[SystemHealth]:
    """Minute rows of one host since a time, oldest first."""
    m = SystemHealthRow
    query = (
        select(m)
        .where(m.host == host, m.resolution_s == 60, m.bucket >= int(since))
        .order_by(m.bucket)
    )
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return [
        SystemHealth(
            host=r.host,
            ts=float(r.bucket),
            scope=r.scope,
            cpu_percent=r.cpu_percent,
            load1=r.load1,
            mem_percent=r.mem_percent,
            mem_used=r.mem_used,
            swap_percent=r.swap_percent,
            disk_read_bps=r.disk_read_bps,
            disk_write_bps=r.disk_write_bps,
            net_rx_bps=r.net_rx_bps,
            net_tx_bps=r.net_tx_bps,
            process_count=r.process_count,
        )
        for r in rows
    ]


def hosts(engine: Engine) -> list[str]:
    """Every host that wrote system health rows."""
    with reading(engine) as conn:
        return list(
            conn.execute(
                select(SystemHealthRow.host).distinct().order_by(SystemHealthRow.host)
            ).scalars()
        )


def latest_bucket(engine: Engine, table_name: str) -> tuple[int, float | None]:
    """(row count, newest time) of a table: for `doctor` and status lines."""
    model: Any = TABLES[table_name]
    column = getattr(
        model, TIME_COLUMN.get(table_name, "bucket" if hasattr(model, "bucket") else "ts")
    )
    with reading(engine) as conn:
        count, newest = conn.execute(select(func.count(), func.max(column))).one()
    return int(count), None if newest is None else float(newest)


def rollup(engine: Engine, before: float, after: float = 0) -> int:
    """Roll raw rows in [after, before) up into hourly rows: see `retention.rollup`."""
    from console.core.store import retention

    return retention.rollup(engine, before, after)


def prune(
    engine: Engine, table_name: str, before: float, batch: int = 5000, rollups: bool | None = None
) -> int:
    """Delete rows older than `before` in short transactions: see `retention.prune`."""
    from console.core.store import retention

    return retention.prune(engine, table_name, before, batch, rollups)


__all__: Sequence[str] = [
    "UnknownMetric",
    "hosts",
    "latest_bucket",
    "parse_metric",
    "prune",
    "recent_health",
    "rollup",
    "series",
]
