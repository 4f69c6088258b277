"""A queue's failure rate: new failures per minute over a window, from the failed counts the
worker samples each collection (the backend's own count, or the failures we recorded for huey).

A count that drops (failures retried or deleted) is no failure; only rises count. The rate
needs samples over at least half the window, so a worker that just started says nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

Series = tuple[tuple[float, float], ...]  # (ts, failed count), oldest first


def failed_series(samples: Iterable[Mapping[str, Any]]) -> dict[str, Series]:
    """Queue -> its failed counts, from the recent queue samples ({ts, queues: {name: {...}}})."""
    found: dict[str, list[tuple[float, float]]] = {}
    for sample in samples:
        ts, queues = sample.get("ts"), sample.get("queues")
        if not isinstance(ts, int | float) or not isinstance(queues, dict):
            continue
        for name, values in queues.items():
            failed = values.get("failed") if isinstance(values, dict) else None
            if isinstance(name, str) and isinstance(failed, int | float):
                found.setdefault(name, []).append((float(ts), float(failed)))
    return {name: tuple(sorted(points)) for name, points in found.items()}


def failure_rate(
    series: Sequence[tuple[float, float]], window_s: float, now: float
) -> tuple[float, float] | None:
    """(failures, per minute) over the window; None without samples over half of it."""
    points = [(ts, n) for ts, n in series if now - window_s <= ts <= now]
    if len(points) < 2 or points[-1][0] - points[0][0] < window_s / 2:
        return None
    failures = sum(max(0.0, b - a) for (_, a), (_, b) in pairwise(points))
    return failures, failures / (window_s / 60.0)
