"""A fleet row as words, the same in the fleet screen and `stackwatch hosts`."""

from __future__ import annotations

import dataclasses
from typing import Any

from console.core import formatting
from console.core.feeds.fleet import DOWN, FleetRow
from console.core.sanitize import clean

COLUMNS = (
    "host", "state", "worker", "db", "programs", "failed", "alerts", "backlog", "cpu", "mem",
    "disk",
)  # fmt: skip


def _percent(value: float | None) -> str:
    return formatting.MISSING if value is None else f"{value:.0f}%"


def row_cells(row: FleetRow, now: float, zone: str = "UTC") -> tuple[str, ...]:
    """One string per column of COLUMNS."""
    s = row.summary
    age = formatting.age_of(row.beat_ts, now)
    if row.state == DOWN and row.beat_ts is not None:
        worker = f"last {formatting.clock(row.beat_ts, zone, now)}"
    else:
        worker = formatting.ago(age)
    programs = failed = backlog = formatting.MISSING
    if s is not None and s.programs is not None:
        programs = f"{s.running or 0}/{s.programs}"
        failed = f"{s.fatal}F {s.backoff}B" if s.fatal or s.backoff else "0"
    if s is not None and s.worst_backlog is not None:  # the queue named when it waits
        backlog = f"{s.worst_backlog} {s.worst_queue}" if s.worst_backlog else "0"
    state = row.state.upper() + (f" ({row.why})" if row.why else "")
    alerts = str(s.alerts) if s is not None and s.alerts is not None else formatting.MISSING
    return (
        clean(row.host, 255),
        state,
        worker,
        row.store,
        programs,
        failed,
        alerts,
        backlog,
        _percent(s.cpu if s else None),
        _percent(s.mem if s else None),
        _percent(s.disk if s else None),
    )


def row_dict(row: FleetRow, now: float) -> dict[str, Any]:
    """JSON for `stackwatch hosts --json`."""
    summary = dataclasses.asdict(row.summary) if row.summary is not None else None
    return {
        "host": clean(row.host, 255),
        "state": row.state,
        "why": row.why,
        "last_seen": row.beat_ts,
        "age": formatting.age_of(row.beat_ts, now),
        "interval": row.interval,
        "store": row.store,
        "summary": summary,
    }
