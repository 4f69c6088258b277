"""A time without rows is a gap: series split into the runs a chart may join with a line.

Buckets narrower than the collection interval are empty by nature (one row a minute in
36-second buckets), so a run only breaks where the data stops for longer than
`GAP_SAMPLES` collection intervals (and longer than GAP_SAMPLES buckets).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

GAP_SAMPLES = 2.5


def segments(points: Sequence[Any], collect_interval: float = 60.0) -> list[list[Any]]:
    """The points with a value (`.ts`, `.value`), in runs without a gap; oldest first."""
    present = [p for p in points if p.value is not None]
    if not present:
        return []
    step = _step(points)
    limit = GAP_SAMPLES * max(step, float(collect_interval))
    runs: list[list[Any]] = [[present[0]]]
    for before, point in itertools.pairwise(present):
        if point.ts - before.ts > limit:
            runs.append([])
        runs[-1].append(point)
    return runs


def gaps(points: Sequence[Any], collect_interval: float = 60.0) -> list[tuple[float, float]]:
    """(from, to) of each gap between runs: the times a chart leaves empty."""
    runs = segments(points, collect_interval)
    return [(a[-1].ts, b[0].ts) for a, b in itertools.pairwise(runs)]


def _step(points: Sequence[Any]) -> float:
    """The bucket width of an evenly spaced series (0 when it has fewer than two points)."""
    return float(points[1].ts - points[0].ts) if len(points) > 1 else 0.0
