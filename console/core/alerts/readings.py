"""What the alert rules look at, read from what the worker already keeps: the latest health
and queue entries, the heartbeat and job runs (cache), the process events (store, plus the
newest ones still in the cache stream) and the job ledger. Blocking; for the worker's job.

Each part that cannot be read is None in the Readings, so the rules on it keep their alerts
as they were; only the cache being down raises (the alert states live there too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from console.core import keys
from console.core.alerts.cache_reads import exit_reading, lay_events_over
from console.core.alerts.model import (
    ExitReading,
    JobReading,
    ProgramReading,
    QueueReading,
    Readings,
    SourceReading,
)
from console.core.alerts.queue_rate import failed_series
from console.core.alerts.rules import AlertRule
from console.core.cache import Cache
from console.core.cache.entries import read_entry, read_heartbeat
from console.core.errors import StackwatchError
from console.core.events.model import PROCESS, ProcessEvent
from console.core.metrics import QueueSnapshot, SystemHealth
from console.core.settings import Settings

TREND_SPAN_S = 3600.0  # the disk's rate is read over the last hour of samples
TREND_MIN_S = 600.0  # and only once there are ten minutes of them
FAILED_RUNS_LOOKED_AT = 20


@dataclass(frozen=True)
class StoreReadings:
    programs: tuple[ProgramReading, ...] | None = None
    transitions: tuple[ExitReading, ...] | None = None
    failed_in_row: dict[str, tuple[int, str | None]] | None = None
    error: str | None = None


def _metrics(health: SystemHealth) -> dict[str, float]:
    found = {
        "cpu_percent": health.cpu_percent,
        "mem_percent": health.mem_percent,
        "swap_percent": health.swap_percent if health.swap_total else None,
    }
    if health.load1 is not None and health.cpu_count:
        found["load_per_core"] = health.load1 / health.cpu_count
    return {k: float(v) for k, v in found.items() if v is not None}


def disk_trend(samples: Sequence[dict[str, Any]], now: float) -> float | None:
    """Percent per hour the fullest disk grows, by least squares over the last hour."""
    points = [
        (float(s["ts"]), float(s["disk_percent"]))
        for s in samples
        if isinstance(s.get("ts"), int | float)
        and isinstance(s.get("disk_percent"), int | float)
        and now - TREND_SPAN_S <= s["ts"] <= now
    ]
    if len(points) < 3 or points[-1][0] - points[0][0] < TREND_MIN_S:
        return None
    mean_t = sum(t for t, _ in points) / len(points)
    mean_v = sum(v for _, v in points) / len(points)
    var = sum((t - mean_t) ** 2 for t, _ in points)
    slope = sum((t - mean_t) * (v - mean_v) for t, v in points) / var
    return slope * 3600


def _health(cache: Cache, host: str, now: float) -> dict[str, Any]:
    health = read_entry(cache, "health", host)
    if not isinstance(health, SystemHealth):
        return {}
    disks = {d.mount: float(d.percent) for d in health.disks}
    trend: dict[str, float] = {}
    fullest = max(health.disks, key=lambda d: d.percent, default=None)
    if fullest is not None:
        samples = cache.items(keys.recent("health", host), 200)
        rate = disk_trend(sorted(samples, key=lambda s: s.get("ts") or 0), now)
        if rate is not None:
            trend[fullest.mount] = rate
    return {"metrics": _metrics(health), "disks": disks, "disk_trend": trend}


def _queues(cache: Cache, settings: Settings) -> tuple[QueueReading, ...] | None:
    snapshot = read_entry(cache, "queue", settings.host)
    if not isinstance(snapshot, QueueSnapshot):
        return None
    critical = {q.name: q.critical for q in settings.queues}
    return tuple(
        QueueReading(q.name, q.pending, q.oldest_age_s, critical.get(q.name))
        for q in snapshot.queues
        if q.error is None
    )


def _jobs(
    cache: Cache, settings: Settings, now: float, failed: dict[str, tuple[int, str | None]] | None
) -> tuple[JobReading, ...]:
    from console.core import periodic
    from console.core.worker_info import parse_worker_info

    beat = cache.heartbeat(settings.host)
    runs = cache.map_all(keys.job_runs(settings.host))
    last = {name: run for name, run in runs.items() if isinstance(run, dict)}
    rows = []
    if beat.ok and beat.ts:
        info = parse_worker_info(beat.payload, beat.ts)
        rows = periodic.ours(info.schedule, info.timezone or settings.timezone, last, now)
    rows += periodic.apps(cache.map_all(keys.periodic_last(settings.host)), now, "")
    if failed is None:  # the store could not be read: no streak is known, none is zero
        return tuple(JobReading(r.task, r.missed, None) for r in rows)
    return tuple(JobReading(r.task, r.missed, *failed.get(r.task, (0, None))) for r in rows)


def read_store(
    engine: Any, host: str, events: list[ProcessEvent], window_s: float, now: float
) -> StoreReadings:
    """Programs' states and recent transitions (store + stream), and failure streaks."""
    from console.core.alerts.store_reads import failure_streaks, latest_states, transitions_since

    try:
        latest = latest_states(engine, host)
        recent = transitions_since(engine, host, now - window_s)
        streaks = failure_streaks(engine, host, FAILED_RUNS_LOOKED_AT)
    except StackwatchError as exc:
        return StoreReadings(error=str(exc))
    lay_events_over(latest, events)
    for e in sorted(events, key=lambda e: e.ts):
        if e.kind == PROCESS and e.ts >= now - window_s:
            recent[e.stream_id or f"{(e.endpoint, e.program)}:{e.ts}"] = exit_reading(e)
    return StoreReadings(tuple(latest.values()), tuple(recent.values()), streaks)


def read_all(
    settings: Settings,
    cache: Cache,
    store: StoreReadings,
    now: float,
    sources: Sequence[SourceReading] = (),
) -> Readings:
    """Everything the rules need, the store's part read already (`read_store`, under the
    worker's store deadline); raises SourceUnavailable only when the cache is down."""
    host = settings.host
    database = SourceReading("database", store.error is None, store.error or "")
    heartbeat = read_heartbeat(cache, host)
    recent_kept = keys.recent_maxlen(settings.collect_interval)
    return Readings(
        host=host,
        **_health(cache, host, now),
        heartbeat_ts=heartbeat if isinstance(heartbeat, float) else None,
        heartbeat_known=True,
        programs=store.programs,
        transitions=store.transitions,
        jobs=_jobs(cache, settings, now, store.failed_in_row),
        queues=_queues(cache, settings),
        queue_failed=failed_series(cache.items(keys.recent("queue", host), recent_kept)),
        sources=(database, *sources),
        thresholds={name: t.critical for name, t in settings.thresholds.items()},
    )


def event_window(rules: Sequence[AlertRule]) -> float:
    """How far back the process events are read: the longest window of the rules on them."""
    return max([r.window_s for r in rules if r.kind in ("exited", "crash_loop")], default=600)
