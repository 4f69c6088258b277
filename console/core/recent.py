"""The recent lists: one compact sample per collection, kept ~90 minutes in the cache.

The worker pushes them (`push_*`); the dashboard reads its last hour from them
(`recent_series`) in the same shape as the store's `queries.series`, so the 1h views never
load SQLAlchemy. Imports nothing heavier than the cache protocol.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from console.core import keys
from console.core.metrics import Point, QueueSnapshot, SystemHealth

# How a bucket combines several samples; the store aggregates the same columns the same way.
COUNT_COLUMNS = {"requests", "errors_5xx", "jobs_processed", "jobs_failed", "samples"}
MAX_COLUMNS = {"rps_peak", "latency_p95_ms", "runtime_p95_ms"}

HEALTH_FIELDS = (
    "cpu_percent",
    "load1",
    "mem_percent",
    "swap_percent",
    "disk_percent",
    "net_rx_bps",
    "net_tx_bps",
)
QUEUE_FIELDS = ("pending", "scheduled", "reserved", "failed")
PERF_FIELDS = ("rps_avg", "latency_p95_ms", "jobs_processed", "jobs_failed", "requests")
FAMILY_KIND = {"health": "health", "queue": "queue", "perf": "performance"}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return value


def health_sample(health: SystemHealth) -> dict[str, Any]:
    sample: dict[str, Any] = {"ts": health.ts}
    for name in HEALTH_FIELDS:
        if (value := _num(getattr(health, name))) is not None:
            sample[name] = value
    return sample


def queue_sample(queues: QueueSnapshot) -> dict[str, Any]:
    found = {}
    for q in queues.queues:
        values = {n: v for n in QUEUE_FIELDS if (v := _num(getattr(q, n))) is not None}
        if values:
            found[q.name] = values
    return {"ts": queues.ts, "queues": found}


def perf_sample(ts: float, values: dict[str, Any]) -> dict[str, Any]:
    """One interval's performance figures (the keys of PERF_FIELDS that have a number)."""
    sample: dict[str, Any] = {"ts": ts}
    for name in PERF_FIELDS:
        if (value := _num(values.get(name))) is not None:
            sample[name] = value
    return sample


def push(cache: Any, kind: str, host: str, sample: dict[str, Any], interval: float) -> None:
    cache.push(keys.recent(kind, host), sample, keys.recent_maxlen(interval))


def _value(sample: dict[str, Any], family: str, rest: str) -> float | None:
    if family == "queue":
        name, _, column = rest.rpartition(".")
        queues = sample.get("queues")
        entry = queues.get(name) if isinstance(queues, dict) else None
        return _num(entry.get(column)) if isinstance(entry, dict) else None
    return _num(sample.get(rest))


def _combine(column: str, values: list[float]) -> float:
    if column in COUNT_COLUMNS:
        return float(sum(values))
    if column in MAX_COLUMNS:
        return float(max(values))
    return sum(values) / len(values)


def bucketed(
    samples: Iterable[dict[str, Any]], metric: str, since: float, until: float, points: int
) -> list[Point]:
    """`points` evenly spaced values between since and until, as `queries.series` buckets them
    (steps of at least a minute; sum/max/avg by column); None = no sample in that bucket."""
    family, _, rest = metric.partition(".")
    column = rest.rpartition(".")[2]
    start = int(since)
    step = max(60, math.ceil((until - since) / max(1, points)))
    count = math.ceil((until - since) / step)
    slots: dict[int, list[float]] = {}
    for sample in samples:
        ts = _num(sample.get("ts"))
        if ts is None or not start <= ts < until:
            continue
        if (value := _value(sample, family, rest)) is not None:
            slots.setdefault(int((ts - start) // step), []).append(value)
    return [
        Point(start + i * step, _combine(column, slots[i]) if i in slots else None)
        for i in range(count)
    ]


def recent_series(
    cache: Any,
    host: str,
    metrics: Iterable[str],
    since: float,
    until: float,
    points: int,
    interval: float,
) -> dict[str, list[Point]] | None:
    """Each metric from the recent lists, or None when a list it needs is absent (a worker
    that does not write them): the caller then asks the store."""
    metrics = tuple(metrics)
    kinds = {FAMILY_KIND.get(m.partition(".")[0]) for m in metrics}
    if None in kinds:
        raise ValueError(f"unknown metric in {metrics!r}")
    limit = keys.recent_maxlen(interval)
    lists: dict[str, list[dict[str, Any]]] = {}
    for kind in sorted(k for k in kinds if k is not None):
        items = cache.items(keys.recent(kind, host), limit)
        if not items:
            return None
        lists[kind] = items
    return {
        m: bucketed(lists[FAMILY_KIND[m.partition(".")[0]]], m, since, until, points)
        for m in metrics
    }
