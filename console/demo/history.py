"""An hour of sample history for the demo, so sparklines and charts have a past to show.

Written once, before the stack starts, for the demo's own host only, in both places the
console reads a past from: the store (6h and longer) and the cache's recent lists (the
sparklines and the 1h chart). Everything after the start is collected for real.
"""

from __future__ import annotations

import math
import random
from typing import Any

from sqlalchemy import Engine

from console.core import recent
from console.core.metrics import (
    DiskUsage,
    PerformanceSnapshot,
    QueueDepth,
    QueueSnapshot,
    SystemHealth,
)
from console.core.settings import Settings
from console.core.store import writes


def _wave(minute: int, base: float, swing: float, period: float = 23.0) -> float:
    return max(
        0.0,
        base
        + swing * math.sin(minute / period * 2 * math.pi)
        + random.uniform(-swing / 4, swing / 4),
    )


def _health(host: str, ts: float, m: int) -> SystemHealth:
    return SystemHealth(
        host=host,
        ts=ts,
        cpu_percent=_wave(m, 30, 15),
        load1=_wave(m, 1.2, 0.5),
        mem_percent=_wave(m, 45, 3, 90),
        swap_percent=0.0,
        disks=(DiskUsage("/", 100, 40, 40.0 + m / 60),),
        net_rx_bps=_wave(m, 40_000, 20_000),
        net_tx_bps=_wave(m, 25_000, 10_000),
        process_count=int(_wave(m, 180, 5)),
    )


def _queues(settings: Settings, ts: float, m: int) -> QueueSnapshot:
    depths = tuple(
        QueueDepth(spec.name, spec.kind, pending=int(_wave(m, 8, 6, 11)), scheduled=0)
        for spec in settings.queues
    )
    return QueueSnapshot(settings.host, ts, depths)


def seed(engine: Engine, settings: Settings, now: float, minutes: int = 60) -> int:
    """Write `minutes` of plausible rows ending a minute before `now`; returns rows written."""
    host, start = settings.host, now - minutes * 60
    health, queues = [], []
    for m in range(minutes):
        ts = start + m * 60
        health.append(_health(host, ts, m))
        queues.append(_queues(settings, ts, m))
    written = writes.write_health(engine, health)
    for snapshot in queues:
        written += writes.write_queues(engine, snapshot)
    return written + _seed_performance(engine, settings, start, now)


def _seed_performance(engine: Engine, settings: Settings, start: float, now: float) -> int:
    written, host = 0, settings.host
    step = settings.store_interval
    for t in range(int(start), int(now) - step, step):
        m = (t - start) / 60
        rps = _wave(int(m), 12, 5)
        perf = PerformanceSnapshot(
            host=host,
            ts=t,
            window_s=step,
            requests=int(rps * step),
            rps_avg=rps,
            rps_peak=rps * 1.4,
            latency_avg_ms=_wave(int(m), 35, 10),
            latency_p95_ms=_wave(int(m), 80, 25),
            jobs_processed=int(_wave(int(m), 120, 40) * step / 60),
            jobs_failed=random.randint(0, 3),
            runtime_avg_ms=_wave(int(m), 200, 50),
            runtime_p95_ms=_wave(int(m), 600, 100),
            wait_avg_ms=_wave(int(m), 250, 100),
        )
        written += writes.write_performance(engine, perf, bucket_s=step)
    return written


def seed_recent(cache: Any, settings: Settings, now: float, minutes: int = 60) -> int:
    """The same hour in the cache's recent lists, one sample a minute; returns samples pushed."""
    host, start, interval = settings.host, now - minutes * 60, settings.collect_interval
    pushed = 0
    for m in range(minutes):
        ts = start + m * 60
        health = _health(host, ts, m)
        recent.push(cache, "health", host, recent.health_sample(health), interval)
        recent.push(cache, "queue", host, recent.queue_sample(_queues(settings, ts, m)), interval)
        rps = _wave(m, 12, 5)
        perf = {
            "rps_avg": rps,
            "latency_p95_ms": _wave(m, 80, 25),
            "jobs_processed": _wave(m, 120, 40),
            "jobs_failed": random.randint(0, 1),
            "requests": rps * 60,
        }
        recent.push(cache, "performance", host, recent.perf_sample(ts, perf), interval)
        pushed += 3
    return pushed
