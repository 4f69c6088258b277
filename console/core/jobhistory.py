"""What the queues screen needs from an instrumented huey consumer beyond the rolled counters:
recent finished jobs per task (never drained) and the last run of each periodic task.

Called from the job signal handler (in the consumer's worker thread): at most two cache calls.
"""

from __future__ import annotations

import datetime as dt
import types
from typing import Any

from console.core import keys
from console.core.cache import Cache

MAX_RECENT = 5000  # finished jobs kept for per-task stats (about an hour on a busy queue)
LOOKAHEAD_MINUTES = 2 * 24 * 60  # how far to step a crontab for the next due run


def periodic_key(queue: str, task: str) -> str:
    return f"{queue}/{task}"


def _crontab(task: Any) -> Any:
    """The pure crontab function behind a huey periodic task, or None.

    Only plain functions (huey's `crontab(...)`) are stepped: a validator object may keep
    state (ours remembers the last slot fired) and must never be called from here."""
    method = getattr(type(task), "validate_datetime", None)
    for cell in getattr(method, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, types.FunctionType) and value.__name__ == "validate_date":
            return value
    return None


def next_due(task: Any, after: float) -> float | None:
    """When a crontab periodic task is next due after `after` (huey's naive-UTC minutes)."""
    validate = _crontab(task)
    if validate is None:
        return None
    start = dt.datetime.fromtimestamp(after, dt.UTC).replace(second=0, microsecond=0, tzinfo=None)
    for step in range(1, LOOKAHEAD_MINUTES + 1):
        when = start + dt.timedelta(minutes=step)
        try:
            if validate(when):
                return when.replace(tzinfo=dt.UTC).timestamp()
        except (TypeError, ValueError):
            return None
    return None


def is_periodic(task: Any) -> bool:
    from huey.api import PeriodicTask

    return isinstance(task, PeriodicTask)


def remember(cache: Cache, host: str, task: Any, event: dict[str, Any]) -> None:
    """Keep a finished job for the stats, and a periodic task's last run (may raise
    SourceUnavailable: the caller's breaker handles it)."""
    periodic = is_periodic(task)
    cache.push(keys.job_recent(host), {**event, "periodic": periodic}, MAX_RECENT)
    if not periodic:
        return
    runtime = event.get("runtime_ms") or 0.0
    started = float(event["ts"]) - runtime / 1000
    item = {
        **event,
        "started": started,
        "next_due": next_due(task, started),
    }
    cache.map_set(keys.periodic_last(host), periodic_key(event["queue"], event["task"]), item)
