"""The one-shot plain status printed when there is no terminal (`stackwatch | cat`)."""

from __future__ import annotations

from datetime import tzinfo

from console.core.feeds import build_feeds
from console.core.feeds.dashboard import CacheReading
from console.core.metrics import PerformanceSnapshot, QueueSnapshot, SystemHealth
from console.core.sanitize import clean
from console.core.sources import (
    DOWN,
    OK,
    SourceState,
    advance,
    age_text,
    database_state,
    heartbeat_state,
)


def _num(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.1f}{unit}"


def _health_line(h: SystemHealth) -> str:
    return (
        f"health: cpu {_num(h.cpu_percent, '%')}  load {_num(h.load1)}  "
        f"mem {_num(h.mem_percent, '%')}  swap {_num(h.swap_percent, '%')}  "
        f"disk {_num(h.disk_percent, '%')}"
    )


def _perf_line(p: PerformanceSnapshot) -> str:
    return (
        f"performance: req/s {_num(p.rps_now)} (avg {_num(p.rps_avg)}, peak {_num(p.rps_peak)})  "
        f"latency p95 {_num(p.latency_p95_ms, ' ms')}  jobs/min {_num(p.jobs_per_min)}  "
        f"failed {p.jobs_failed}"
    )


def _queue_lines(q: QueueSnapshot) -> list[str]:
    return [
        f"queue {clean(d.name, 80)}: pending {d.pending if d.pending is not None else '-'}  "
        f"scheduled {d.scheduled if d.scheduled is not None else '-'}  "
        f"reserved {d.reserved if d.reserved is not None else '-'}  "
        f"failed {d.failed if d.failed is not None else '-'}"
        + (f"  ({clean(d.error, 120)})" if d.error else "")
        for d in q.queues
    ]


def _values(reading: CacheReading, now: float) -> list[str]:
    lines = []
    for label, snap in (("health", reading.health), ("performance", reading.performance)):
        if snap is None:
            lines.append(f"{label}: no data yet")
        else:
            line = _health_line(snap) if label == "health" else _perf_line(snap)
            lines.append(f"{line}  [{age_text(snap.ts, now)}]")
    if reading.queues is None:
        lines.append("queues: no data yet")
    else:
        lines += _queue_lines(reading.queues) or ["queues: none reported"]
    return lines + [f"cache problem: {p}" for p in reading.problems]


def plain_status(settings: object, now: float, tz: tzinfo) -> tuple[list[str], int]:
    """Lines to print and the exit code (0 all sources answer, 2 one cannot be reached)."""
    feeds = build_feeds(settings, clock=lambda: now)  # type: ignore[arg-type]
    feed, host = feeds.dashboard, settings.host  # type: ignore[attr-defined]
    try:
        cache = feed.read_cache(host)
        history = feed.read_history(host, ("health.cpu_percent",), 2)
        sups = [feed.check_supervisor(e) for e in settings.supervisors]  # type: ignore[attr-defined]
    finally:
        feeds.close()
    states: list[SourceState] = [
        advance(None, "cache", "cache", OK if cache.ok else DOWN, cache.reason, now),
        database_state(
            None, history.ok, history.reason, cache.worker_store if cache.ok else None, now
        ),
        *(
            advance(
                None,
                f"sv:{s.name}",
                f"supervisor {s.name}",
                OK if s.ok else DOWN,
                "" if s.ok else s.reason,
                now,
            )
            for s in sups
        ),
    ]
    if cache.ok:
        interval = settings.collect_interval  # type: ignore[attr-defined]
        states.append(heartbeat_state(None, cache.heartbeat_ts, now, interval))
    lines = [f"stackwatch — host {clean(host, 255)}"]
    lines += [f"  {s.describe(tz)}" for s in states]
    lines += _values(cache, now) if cache.ok else ["values: cache unreachable"]
    code = 2 if any(s.status == DOWN and s.key != "worker" for s in states) else 0
    return lines, code
