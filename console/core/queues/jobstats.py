"""Horizon-style tiles and per-task statistics from recently finished jobs (pure functions)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from console.core.sanitize import clean

HOUR = 3600.0
RATE_WINDOW = 300.0  # jobs per minute: averaged over the last five minutes


@dataclass(frozen=True)
class Tiles:
    jobs_per_min: float | None
    jobs_past_hour: int | None
    failed_past_7d: int | None
    max_wait_ms: float | None
    max_runtime_ms: float | None
    partial_hour: bool = False  # the kept events do not reach back a full hour


@dataclass(frozen=True)
class TaskStats:
    queue: str
    task: str
    count: int
    errors: int
    avg_ms: float | None
    p95_ms: float | None


@dataclass(frozen=True)
class InFlight:
    task_id: str
    queue: str
    task: str
    started: float
    age_s: float
    overdue: bool  # running longer than the threshold


def p95(values: Sequence[float]) -> float | None:
    """Nearest-rank 95th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _num(item: Mapping[str, Any], key: str) -> float | None:
    value = item.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _within(events: Iterable[Mapping[str, Any]], since: float) -> list[Mapping[str, Any]]:
    return [e for e in events if (_num(e, "ts") or 0) >= since]


def tiles(
    events: Sequence[Mapping[str, Any]], failed_7d: int | None, now: float, full: bool = False
) -> Tiles:
    """Tiles over the kept events; `full` says the capped list was full (older ones dropped)."""
    hour = _within(events, now - HOUR)
    recent = _within(hour, now - RATE_WINDOW)
    oldest = min((_num(e, "ts") or now for e in events), default=now)
    waits = [w for e in hour if (w := _num(e, "wait_ms")) is not None]
    runtimes = [r for e in hour if (r := _num(e, "runtime_ms")) is not None]
    return Tiles(
        jobs_per_min=round(len(recent) / (RATE_WINDOW / 60), 2),
        jobs_past_hour=len(hour),
        failed_past_7d=failed_7d,
        max_wait_ms=max(waits, default=None),
        max_runtime_ms=max(runtimes, default=None),
        partial_hour=full and oldest > now - HOUR,
    )


def per_task(events: Sequence[Mapping[str, Any]], now: float) -> list[TaskStats]:
    """Count, errors, average and p95 runtime per (queue, task) over the past hour."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for event in _within(events, now - HOUR):
        groups[(str(event.get("queue") or "?"), str(event.get("task") or "?"))].append(event)
    stats = []
    for (queue, task), items in groups.items():
        runtimes = [r for e in items if (r := _num(e, "runtime_ms")) is not None]
        stats.append(
            TaskStats(
                queue=clean(queue, 200),
                task=clean(task, 200),
                count=len(items),
                errors=sum(1 for e in items if e.get("outcome") == "error"),
                avg_ms=sum(runtimes) / len(runtimes) if runtimes else None,
                p95_ms=p95(runtimes),
            )
        )
    return sorted(stats, key=lambda s: (-s.count, s.queue, s.task))


def in_flight(
    entries: Mapping[str, Mapping[str, Any]], now: float, limit_s: float
) -> list[InFlight]:
    """Tasks running now, longest first; those past `limit_s` are flagged."""
    rows = []
    for task_id, entry in entries.items():
        started = _num(entry, "started") or _num(entry, "ts")
        if started is None:
            continue
        age = max(0.0, now - started)
        rows.append(
            InFlight(
                task_id=clean(task_id, 64),
                queue=clean(str(entry.get("queue") or "?"), 200),
                task=clean(str(entry.get("task") or "?"), 200),
                started=started,
                age_s=age,
                overdue=age >= limit_s,
            )
        )
    return sorted(rows, key=lambda r: -r.age_s)
