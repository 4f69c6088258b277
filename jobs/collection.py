"""collect_system_metrics: system health, queue depths and supervised processes, every minute.

The cache is written first, so latest values keep flowing while the database is down; the
rows are idempotent per (host, minute), so a retried or doubled run never doubles a row.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from console import __version__
from console.core import recent
from console.core.errors import SourceUnavailable, StackwatchError
from console.core.metrics import to_payload
from console.core.queues.failure_counts import (
    FailureCounts,
    stored_counts,
    waiting_in,
    with_waiting,
)
from console.core.store import writes
from jobs.collectors.queues import collect_queues, with_failures
from jobs.context import JobContext
from jobs.schedule import periodic

log = logging.getLogger("stackwatch.worker")


@dataclass
class Outcome:
    """What a job wrote, for `stackwatch collect --once` and the ledger."""

    wrote: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def fail_if_errors(self) -> None:
        if self.errors:
            raise SourceUnavailable("; ".join(self.errors))


def _processes(ctx: JobContext, now: float) -> Any:
    """Every program of every configured supervisord, with CPU and memory of its tree."""
    from jobs.collectors.processes import collect_processes

    return collect_processes(ctx.settings, now=now)


def _heartbeat(ctx: JobContext, now: float) -> dict[str, Any]:
    """The heartbeat and what this worker runs: any console judges by these, not its own."""
    from jobs.schedule import published

    beat = {"pid": os.getpid(), "version": __version__, "started": ctx.started, "collected": now}
    # the store's state too: a console then shows "db DOWN/hung", not a stale worker
    return beat | published(ctx.settings) | {"store": ctx.store.state.payload()}


def _failures(ctx: JobContext, now: float) -> FailureCounts | None:
    """The failures held for this host (None while the store or the cache is out)."""
    try:
        stored = ctx.store.run(lambda: stored_counts(ctx.engine, ctx.host, now))
        return with_waiting(stored, waiting_in(ctx.cache, ctx.host), now)
    except StackwatchError:  # down, hung or an old schema: the column says "-" meanwhile
        return None


@periodic(every="collect_interval")
def collect_system_metrics(ctx: JobContext, now: float | None = None) -> Outcome:
    """One collection: latest values and heartbeat to the cache, then the minute's rows."""
    now = ctx.clock() if now is None else now
    out = Outcome()
    with ctx.lock:
        health = ctx.system.collect(now)
    queues = collect_queues(ctx.settings, ctx.redis, now, ctx.huey)
    queues = with_failures(queues, _failures(ctx, now), ctx.settings)
    procs = None
    try:
        procs = _processes(ctx, now)
    except SourceUnavailable as exc:
        out.errors.append(f"supervisord: {exc}")
    try:
        ctx.cache.put_latest("health", ctx.host, to_payload(health))
        ctx.cache.put_latest("queue", ctx.host, to_payload(queues))
        ctx.cache.beat(ctx.host, _heartbeat(ctx, now))
        interval = ctx.settings.collect_interval
        recent.push(ctx.cache, "health", ctx.host, recent.health_sample(health), interval)
        recent.push(ctx.cache, "queue", ctx.host, recent.queue_sample(queues), interval)
        out.wrote.append("cache: health, queue, heartbeat, recent")
    except SourceUnavailable as exc:
        out.errors.append(f"cache: {exc}")
    try:
        ctx.store.run(lambda: writes.write_health(ctx.engine, [health]))
        rows = ctx.store.run(lambda: writes.write_queues(ctx.engine, queues))
        out.wrote.append(f"database: 1 system_health_metrics row, {rows} queue_metrics rows")
    except SourceUnavailable as exc:
        out.errors.append(str(exc))
    if procs is not None:
        _record_processes(ctx, procs, out)
    _publish(ctx, now, procs, health, queues, out)
    return out


def _publish(
    ctx: JobContext, now: float, procs: Any, health: Any, queues: Any, out: Outcome
) -> None:
    """For the fleet: this host's process list and summary, read by every console."""
    if ctx.redis is None:
        return
    import redis

    from jobs.fleet import firing_alerts, publish

    try:
        alerts = firing_alerts(ctx.cache, ctx.host)
        store = ctx.store.state.status
        publish(ctx.redis, ctx.settings, now, procs, health, queues, store, alerts)
        out.wrote.append("cache: fleet process list and summary")
    except redis.RedisError as exc:
        out.errors.append(f"cache: fleet: {exc}")


def _record_processes(ctx: JobContext, procs: Any, out: Outcome) -> None:
    """State changes into process_events (restart counts); unreachable endpoints are errors."""
    from console.core.events.presence import listening_endpoints
    from console.core.store import process_events

    out.wrote.append(f"processes: {len(procs.processes)} programs")
    out.errors.extend(f"supervisord {e.name}: {e.message}" for e in procs.endpoints if not e.ok)
    # Where supervisord's event listener runs, its events are exact: polls would only repeat
    # them, late (and count a restart twice).
    listening = listening_endpoints(procs.processes)
    try:
        changed = ctx.store.run(
            lambda: process_events.record_changes(ctx.engine, procs, skip=listening)
        )
        out.wrote.append(f"database: {changed} process_events rows")
    except SourceUnavailable as exc:
        out.errors.append(str(exc))
