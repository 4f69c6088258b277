"""A small quantile sketch: n, sum and up to 101 evenly spaced order statistics.

Per-minute items keep one sketch per measure, so a 5-minute p95 is computed from five small
lists instead of keeping every sample.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

POINTS = 101


def make(values: Iterable[float]) -> dict[str, Any] | None:
    """The sketch of some values, or None when there are none."""
    data = sorted(v for v in values if isinstance(v, int | float) and v == v)
    if not data:
        return None
    if len(data) > POINTS:
        step = (len(data) - 1) / (POINTS - 1)
        points = [data[round(i * step)] for i in range(POINTS)]
    else:
        points = data
    return {"n": len(data), "sum": float(sum(data)), "q": points}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_valid(sketch: Any) -> bool:
    """A sketch as `make` writes it: n a positive count, sum and up to POINTS points finite."""
    if not isinstance(sketch, dict):
        return False
    n, total, points = sketch.get("n"), sketch.get("sum"), sketch.get("q")
    return (
        isinstance(n, int)
        and not isinstance(n, bool)
        and n > 0
        and _number(total)
        and isinstance(points, list)
        and 0 < len(points) <= POINTS
        and all(_number(v) for v in points)
    )


_valid = is_valid


def mean(sketches: Sequence[Any]) -> float | None:
    good = [s for s in sketches if _valid(s)]
    n = sum(s["n"] for s in good)
    return round(sum(s["sum"] for s in good) / n, 3) if n else None


def quantile(sketches: Sequence[Any], q: float) -> float | None:
    """The q-quantile (0..1) of the merged sketches, each point weighted by its share of n."""
    weighted = sorted(
        (float(v), s["n"] / len(s["q"])) for s in sketches if _valid(s) for v in s["q"]
    )
    total = sum(w for _, w in weighted)
    if not total:
        return None
    target, seen = q * total, 0.0
    for value, weight in weighted:
        seen += weight
        if seen >= target:
            return round(value, 3)
    return round(weighted[-1][0], 3)
