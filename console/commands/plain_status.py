"""The one-shot plain status printed when there is no terminal (`stackwatch | cat`)."""

from __future__ import annotations

from datetime import tzinfo

from console.core.feeds import build_feeds
from console.core.feeds.dashboard import CacheReading, HistoryReading
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


_ENTRIES = (("health", "health"), ("performance", "perf"))


def _values(reading: CacheReading, now: float) -> list[str]:
    lines = []
    for label, what in _ENTRIES:
        snap = reading.health if what == "health" else reading.performance
        if (bad := reading.invalid_for(what)) is not None:
            lines.append(f"{label}: {bad}")
        elif snap is None:
            lines.append(f"{label}: no data yet")
        else:
            line = _health_line(snap) if what == "health" else _perf_line(snap)  # type: ignore[arg-type]
            lines.append(f"{line}  [{age_text(snap.ts, now)}]")
    if (bad := reading.invalid_for("queue")) is not None:
        lines.append(f"queues: {bad}")
    elif reading.queues is None:
        lines.append("queues: no data yet")
    else:
        lines += _queue_lines(reading.queues) or ["queues: none reported"]
    if (bad := reading.invalid_for("heartbeat")) is not None:
        lines.append(f"heartbeat: {bad}")
    return lines


def _database(history: HistoryReading) -> tuple[bool, str]:
    """Whether the store answers: the store read itself, or, when the last hour came from the
    cache's recent lists, the probe of the store made with it (never "ok" by default)."""
    if history.from_store or history.db_ok is None:
        return history.ok, history.reason
    return history.db_ok, history.db_reason


def _states(settings: object, cache: CacheReading, history: HistoryReading, sups: list, now: float):
    db_ok, db_reason = _database(history)
    states: list[SourceState] = [
        advance(None, "cache", "cache", OK if cache.ok else DOWN, cache.reason, now),
        database_state(None, db_ok, db_reason, cache.worker_store if cache.ok else None, now),
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
    return states


def plain_status(settings: object, now: float, tz: tzinfo) -> tuple[list[str], int]:
    """Lines to print and the exit code: 0 every source answers with usable values, 1 an
    entry is invalid, 2 a source cannot be reached (or the store is unusable)."""
    feeds = build_feeds(settings, clock=lambda: now)  # type: ignore[arg-type]
    feed, host = feeds.dashboard, settings.host  # type: ignore[attr-defined]
    try:
        cache = feed.read_cache(host)
        history = feed.read_history(host, ("health.cpu_percent",), 2)
        sups = [feed.check_supervisor(e) for e in settings.supervisors]  # type: ignore[attr-defined]
    finally:
        feeds.close()
    states = _states(settings, cache, history, sups, now)
    lines = [f"stackwatch — host {clean(host, 255)}"]
    lines += [f"  {s.describe(tz)}" for s in states]
    lines += _values(cache, now) if cache.ok else ["values: cache unreachable"]
    if any(s.status == DOWN and s.key != "worker" for s in states):
        return lines, 2
    return lines, 1 if cache.invalid else 0
