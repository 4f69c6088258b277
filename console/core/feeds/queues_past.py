"""The Queues screen at a past time: each stored queue's depths then (the minute row, or the
hourly rollup), its pending history over the hour before, and a note for what is live only."""

from __future__ import annotations

from typing import Any

from console.core.errors import StackwatchError
from console.core.feeds.queues import QueueLine, QueuesView
from console.core.metrics import QueueDepth
from console.core.sanitize import clean
from console.core.settings import QueueSpec, Settings

HISTORY_S = 3600.0
HISTORY_POINTS = 30
LIVE_ONLY = "jobs, failures, periodic and scheduled: live only"


def past_queues(engine: Any, settings: Settings, host: str, as_of: float, now: float) -> QueuesView:
    """Depths stored at `as_of`; jobs, failures, the ledger and the schedule are live only."""
    from console.core.feeds.queues_live import level, trend
    from console.core.store import at_time, queries

    view = {"ts": as_of, "host": clean(host, 200)}
    try:
        snapshot, found = at_time.queues_at(engine, host, as_of)
        lines = []
        for depth in snapshot.queues if snapshot else ():
            metric = f"queue.{depth.name}.pending"
            since = as_of - HISTORY_S
            points = queries.series(engine, metric, host, since, as_of, HISTORY_POINTS)
            history = tuple(p.value for p in points)
            spec = _spec(settings, depth)
            lines.append(
                _line(depth, history, trend(history, depth.pending), level(settings, spec, depth))
            )
    except (StackwatchError, ValueError) as exc:
        return QueuesView(queues_error=str(exc), **view)
    note = f"{found.note if found else 'nothing stored at that time'} · {LIVE_ONLY}"
    return QueuesView(queues=tuple(lines), queues_error=note, **view)


def _spec(settings: Settings, depth: QueueDepth) -> QueueSpec:
    configured = next((q for q in settings.queues if q.name == depth.name), None)
    return configured or QueueSpec(depth.name, depth.kind)


def _line(depth: QueueDepth, history: tuple, change: int | None, lvl: str) -> QueueLine:
    return QueueLine(
        name=clean(depth.name, 200),
        kind=clean(depth.kind, 32),
        origin="stored",
        pending=depth.pending,
        scheduled=depth.scheduled,
        reserved=depth.reserved,
        failed=depth.failed,
        history=history,
        trend=change,
        level=lvl,
    )
