"""The queues and jobs screen's data layer: one `QueuesView` per poll, every section failing
on its own (a dead Redis leaves the failures and the ledger from the database on screen).

Blocking: call from a thread. `QueuesSource` keeps its connections between polls.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from console.core import keys, periodic
from console.core.errors import StackwatchError
from console.core.jobhistory import MAX_RECENT
from console.core.metrics import QueueDepth
from console.core.periodic import LedgerRow
from console.core.queues import failures as failures_mod
from console.core.queues.failures import Failure
from console.core.queues.huey_tasks import ScheduledTask
from console.core.queues.jobstats import InFlight, TaskStats, Tiles, in_flight, per_task, tiles
from console.core.queues.sources import Sources
from console.core.sanitize import clean
from console.core.settings import QueueSpec, Settings
from console.core.store import ledger, queries

HISTORY_S = 3600.0
HISTORY_POINTS = 30
HISTORY_TTL = 30.0  # the store gains a row a minute: no need to ask it every poll
EVENTS_TTL = 10.0  # per-task stats cover an hour: reading 5000 events every poll is waste


@dataclass(frozen=True)
class QueueLine:
    """One watched queue on screen (names sanitized)."""

    name: str
    kind: str
    origin: str
    pending: int | None = None
    scheduled: int | None = None
    reserved: int | None = None
    failed: int | None = None
    oldest_age_s: float | None = None
    error: str | None = None
    history: tuple[float | None, ...] = ()
    trend: int | None = None  # pending now minus ten minutes ago
    level: str = "ok"  # ok | warning | critical


@dataclass(frozen=True)
class QueuesView:
    ts: float
    host: str
    queues: tuple[QueueLine, ...] = ()
    queues_error: str | None = None
    tiles: Tiles | None = None
    tasks: tuple[TaskStats, ...] = ()
    inflight: tuple[InFlight, ...] = ()
    jobs_error: str | None = None
    failures: tuple[Failure, ...] = ()
    failures_error: str | None = None
    ledger: tuple[LedgerRow, ...] = ()
    ledger_error: str | None = None
    scheduled: tuple[ScheduledTask, ...] = ()
    scheduled_error: str | None = None


def level(settings: Settings, spec: QueueSpec, depth: QueueDepth) -> str:
    """How badly a queue is backing up: per-queue limits win over the global thresholds."""
    base = settings.threshold("queue_pending")
    warn = spec.warning if spec.warning is not None else base.warning
    crit = spec.critical if spec.critical is not None else base.critical
    pending = depth.pending
    levels = ["ok"]
    if pending is not None:
        levels.append("critical" if pending >= crit else "warning" if pending >= warn else "ok")
    levels.append(settings.threshold("queue_failed").level(depth.failed))
    return "critical" if "critical" in levels else "warning" if "warning" in levels else "ok"


def trend(history: tuple[float | None, ...], pending: int | None) -> int | None:
    """Pending now against the oldest known value of the last ~10 minutes of history."""
    if pending is None:
        return None
    recent = [v for v in history[-5:] if v is not None]
    return None if not recent else int(pending - recent[0])


class QueuesSource:
    """Reads everything the screen shows; `load()` never raises for an outage."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.clock = clock
        self.sources = Sources(settings)
        self._history: dict[str, tuple[float, tuple[float | None, ...]]] = {}
        self._events: tuple[float, list[dict]] | None = None

    def close(self) -> None:
        self.sources.close()

    def queue_lines(
        self, now: float, history: bool = True
    ) -> tuple[list[QueueLine], str | None, list]:
        """Every watched queue's numbers; (lines, error of the source, watched specs)."""
        watched, error = self.sources.watched()
        depths = self.sources.depths([w.spec for w in watched], now)
        if isinstance(depths, str):
            error, depths = depths, [None] * len(watched)
        lines = [
            self._line(w.spec, w.origin, d, now, history)
            for w, d in zip(watched, depths, strict=True)
        ]
        return lines, error, watched

    def _line(
        self,
        spec: QueueSpec,
        origin: str,
        depth: QueueDepth | None,
        now: float,
        with_history: bool = True,
    ) -> QueueLine:
        # the worker stores configured queues only: discovered ones have no history
        found = origin.startswith("found")
        history = self._history_of(spec.name, now) if with_history and not found else ()
        if depth is None:
            return QueueLine(clean(spec.name, 200), spec.kind, origin, history=history)
        return QueueLine(
            name=clean(spec.name, 200),
            kind=spec.kind,
            origin=clean(origin, 200),
            pending=depth.pending,
            scheduled=depth.scheduled,
            reserved=depth.reserved,
            failed=depth.failed,
            oldest_age_s=depth.oldest_age_s,
            error=clean(depth.error, 300) if depth.error else None,
            history=history,
            trend=trend(history, depth.pending),
            level=level(self.settings, spec, depth),
        )

    def _history_of(self, name: str, now: float) -> tuple[float | None, ...]:
        kept = self._history.get(name)
        if kept is not None and now - kept[0] < HISTORY_TTL:
            return kept[1]
        try:
            points = queries.series(
                self.sources.engine,
                f"queue.{name}.pending",
                self.settings.host,
                now - HISTORY_S,
                now,
                HISTORY_POINTS,
            )
        except (StackwatchError, ValueError):
            return kept[1] if kept else ()
        values = tuple(p.value for p in points)
        self._history[name] = (now, values)
        return values

    def load(self, now: float | None = None) -> QueuesView:
        """One complete view of the screen."""
        now = self.clock() if now is None else now
        lines, queues_error, watched = self.queue_lines(now)
        parts: dict[str, Any] = {"queues": tuple(lines), "queues_error": queues_error}
        parts.update(self._jobs(now))
        parts.update(self._failures())
        parts.update(self._ledger(now))
        scheduled, scheduled_error = self.sources.scheduled(watched)
        parts.update(scheduled=tuple(scheduled), scheduled_error=scheduled_error)
        return QueuesView(ts=now, host=clean(self.settings.host, 200), **parts)

    def _jobs(self, now: float) -> dict[str, Any]:
        host, cache = self.settings.host, self.sources.cache
        try:
            running = cache.map_all(keys.jobs_inflight(host))
            events = self._recent_events(now)
        except StackwatchError as exc:
            return {"jobs_error": str(exc)}
        failed = self._failed_7d(now)
        limit = self.settings.threshold("job_runtime_s").warning
        return {
            "tiles": tiles(events, failed, now, full=len(events) >= MAX_RECENT),
            "tasks": tuple(per_task(events, now)),
            "inflight": tuple(in_flight(running, now, limit)),
        }

    def _recent_events(self, now: float) -> list[dict]:
        """Up to MAX_RECENT finished jobs; hour-long stats need them only every few seconds."""
        kept = self._events
        if kept is not None and 0 <= now - kept[0] < EVENTS_TTL:
            return kept[1]
        events = self.sources.cache.items(keys.job_recent(self.settings.host), MAX_RECENT)
        self._events = (now, events)
        return events

    def _failed_7d(self, now: float) -> int | None:
        try:
            stored = failures_mod.count_since(
                self.sources.engine, self.settings.host, now - failures_mod.WEEK
            )
        except StackwatchError:
            return None
        return stored + len(self._waiting())

    def _waiting(self) -> list[Failure]:
        try:
            key = keys.job_failures(self.settings.host)
            # staged ones are being stored (or wait for the database): still waiting
            items = self.sources.cache.items(keys.staged(key), 200)
            items += self.sources.cache.items(key, 200)
        except StackwatchError:
            return []
        return failures_mod.waiting(items)

    def _failures(self) -> dict[str, Any]:
        waiting = self._waiting()
        try:
            stored = failures_mod.stored(self.sources.engine, self.settings.host)
        except StackwatchError as exc:
            return {"failures": tuple(waiting), "failures_error": str(exc)}
        rows = sorted([*waiting, *stored], key=lambda f: -f.ts)
        return {"failures": tuple(rows)}

    def _ledger(self, now: float) -> dict[str, Any]:
        host, errors = self.settings.host, []
        runs: list[dict] = []
        apps: dict[str, dict] = {}
        try:
            runs.extend(self.sources.cache.map_all(keys.job_runs(host)).values())
            apps = self.sources.cache.map_all(keys.periodic_last(host))
        except StackwatchError as exc:
            errors.append(str(exc))
        try:
            runs.extend(vars(r) for r in ledger.last_runs(self.sources.engine, host))
        except StackwatchError as exc:
            errors.append(str(exc))
        from console.core.queues.watched import own_huey_name

        rows = periodic.ours(self.settings, periodic.newest(runs), now)
        rows += periodic.apps(apps, now, own_huey_name(self.settings))
        return {"ledger": tuple(rows), "ledger_error": "; ".join(errors) or None}
