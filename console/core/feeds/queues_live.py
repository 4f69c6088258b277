"""The queues feed over the shared connections: one `QueuesView` of a host per poll.

Blocking: call from a thread. It keeps short-lived caches (store history, recent job events)
between polls, per host.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from console.core import keys, periodic
from console.core.errors import StackwatchError
from console.core.feeds.connections import Connections
from console.core.feeds.queues import QueueLine, QueuesView
from console.core.hueys import worker_queue_name
from console.core.jobhistory import MAX_RECENT
from console.core.metrics import QueueDepth
from console.core.parse import Invalid
from console.core.queues import failures as failures_mod
from console.core.queues.backends import QueueBackends
from console.core.queues.failure_counts import (
    FailureCounts,
    fill_failed,
    stored_counts,
    stored_counts_sqlite,
    with_waiting,
)
from console.core.queues.failures import Failure
from console.core.queues.jobstats import in_flight, per_task, tiles
from console.core.sanitize import clean
from console.core.settings import QueueSpec, Settings
from console.core.store.light import plain_sqlite_path
from console.core.worker_info import WorkerInfo, parse_worker_info, safe_zone

HISTORY_S = 3600.0
HISTORY_POINTS = 30
HISTORY_TTL = 30.0  # the store gains a row a minute: no need to ask it every poll
EVENTS_TTL = 10.0  # per-task stats cover an hour: reading 5000 events every poll is waste


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


class LiveQueues:
    """The real queues feed; `load(host)` never raises for an outage."""

    def __init__(self, connections: Connections, clock: Callable[[], float] = time.time) -> None:
        self.connections = connections
        self.settings = connections.settings
        self.clock = clock
        self._history: dict[tuple[str, str], tuple[float, tuple[float | None, ...]]] = {}
        self._events: dict[str, tuple[float, list[dict]]] = {}

    def backends(self, host: str) -> QueueBackends:
        return QueueBackends(self.connections, host)

    def actions(self, host: str) -> Any:
        from console.core.queues.actions import QueueActions

        return QueueActions(self.backends(host))

    def close(self) -> None:
        """Nothing of its own: the connections belong to the feeds."""

    def queue_lines(
        self,
        host: str,
        now: float,
        history: bool = True,
        failures: FailureCounts | None = None,
    ) -> tuple[list[QueueLine], str | None, list]:
        """Every watched queue's numbers; (lines, error of the source, watched specs)."""
        backends = self.backends(host)
        watched, error = backends.watched()
        depths = backends.depths([w.spec for w in watched], now)
        if isinstance(depths, str):
            error, depths = depths, [None] * len(watched)
        else:  # huey keeps no failed count: the failures we recorded stand in
            depths = fill_failed(depths, failures, [w.spec for w in watched])
        lines = [
            self._line(host, w.spec, w.origin, d, now, history)
            for w, d in zip(watched, depths, strict=True)
        ]
        return lines, error, watched

    def _line(
        self,
        host: str,
        spec: QueueSpec,
        origin: str,
        depth: QueueDepth | None,
        now: float,
        with_history: bool = True,
    ) -> QueueLine:
        # the worker stores configured queues only: discovered ones have no history
        found = origin.startswith("found")
        history = self._history_of(host, spec.name, now) if with_history and not found else ()
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

    def _history_of(self, host: str, name: str, now: float) -> tuple[float | None, ...]:
        kept = self._history.get((host, name))
        if kept is not None and now - kept[0] < HISTORY_TTL:
            return kept[1]
        try:
            metric = f"queue.{name}.pending"
            engine = self.connections.engine()
            from console.core.store import queries

            points = queries.series(engine, metric, host, now - HISTORY_S, now, HISTORY_POINTS)
        except (StackwatchError, ValueError):
            return kept[1] if kept else ()
        values = tuple(p.value for p in points)
        self._history[(host, name)] = (now, values)
        return values

    def load(self, host: str, as_of: float | None = None) -> QueuesView:
        """One complete view of `host`'s queues and jobs (`as_of`: the stored depths then)."""
        now = self.clock()
        if as_of is not None:
            from console.core.feeds.queues_past import past_queues

            try:
                engine = self.connections.engine()
            except StackwatchError as exc:
                return QueuesView(ts=as_of, host=clean(host, 200), queues_error=str(exc))
            return past_queues(engine, self.settings, host, as_of, now)
        waiting, invalid = self._waiting(host)
        counts = self._counts(host, now, waiting)
        lines, queues_error, watched = self.queue_lines(host, now, failures=counts)
        parts: dict[str, Any] = {"queues": tuple(lines), "queues_error": queues_error}
        parts.update(self._jobs(host, now, counts))
        parts.update(self._failures(host, waiting, invalid))
        parts.update(failed_total=None if counts is None else counts.total)
        parts.update(self._ledger(host, now))
        scheduled, scheduled_error = self.backends(host).scheduled(watched)
        parts.update(scheduled=tuple(scheduled), scheduled_error=scheduled_error)
        return QueuesView(ts=now, host=clean(host, 200), **parts)

    def _jobs(self, host: str, now: float, counts: FailureCounts | None) -> dict[str, Any]:
        try:
            running = self.connections.cache().map_all(keys.jobs_inflight(host))
            events = self._recent_events(host, now)
        except StackwatchError as exc:
            return {"jobs_error": str(exc)}
        failed = None if counts is None else counts.past_7d
        limit = self.settings.threshold("job_runtime_s").warning
        return {
            "tiles": tiles(events, failed, now, full=len(events) >= MAX_RECENT),
            "tasks": tuple(per_task(events, now)),
            "inflight": tuple(in_flight(running, now, limit)),
        }

    def _recent_events(self, host: str, now: float) -> list[dict]:
        """Up to MAX_RECENT finished jobs; hour-long stats need them only every few seconds."""
        kept = self._events.get(host)
        if kept is not None and 0 <= now - kept[0] < EVENTS_TTL:
            return kept[1]
        events = self.connections.cache().items(keys.job_recent(host), MAX_RECENT)
        self._events[host] = (now, events)
        return events

    def failure_counts(self, host: str, now: float) -> FailureCounts | None:
        """What `queue_lines` needs to fill huey's failed column (the CLI's `queues`): an
        embedded store is counted without loading SQLAlchemy (a one-shot command's cost)."""
        waiting = self._waiting(host)[0]
        path = plain_sqlite_path(self.settings.resolved_database_url)
        if path is None:
            return self._counts(host, now, waiting)
        try:
            stored = stored_counts_sqlite(path, host, now)
        except StackwatchError:
            return None
        return with_waiting(stored, ((f.queue, f.ts) for f in waiting), now)

    def _counts(self, host: str, now: float, waiting: list[Failure]) -> FailureCounts | None:
        """The one count of failures every part of the view shows (None: the store is down)."""
        try:
            stored = stored_counts(self.connections.engine(), host, now)
        except StackwatchError:
            return None
        return with_waiting(stored, ((f.queue, f.ts) for f in waiting), now)

    def _waiting(self, host: str) -> tuple[list[Failure], list[Invalid]]:
        try:
            key = keys.job_failures(host)
            # staged ones are being stored (or wait for the database): still waiting
            items = self.connections.cache().items(keys.staged(key), 200)
            items += self.connections.cache().items(key, 200)
        except StackwatchError:
            return [], []
        return failures_mod.waiting(items)

    def _failures(
        self, host: str, waiting: list[Failure], invalid: list[Invalid]
    ) -> dict[str, Any]:
        bad = f"{len(invalid)} failure records invalid: {invalid[0].reason}" if invalid else None
        try:
            stored = failures_mod.stored(self.connections.engine(), host)
        except StackwatchError as exc:
            error = "; ".join(e for e in (str(exc), bad) if e)
            return {"failures": tuple(waiting), "failures_error": error}
        rows = sorted([*waiting, *stored], key=lambda f: -f.ts)
        return {"failures": tuple(rows), "failures_error": bad}

    def _worker(self, host: str) -> WorkerInfo | None:
        """What `host`'s worker published with its last heartbeat (its schedule table)."""
        beat = self.connections.cache().heartbeat(host)
        return parse_worker_info(beat.payload, beat.ts) if beat.ok and beat.ts else None

    def _ledger(self, host: str, now: float) -> dict[str, Any]:
        errors: list[str] = []
        runs: list[dict] = []
        apps: dict[str, dict] = {}
        cache = self.connections.cache()
        worker = None
        try:
            runs.extend(cache.map_all(keys.job_runs(host)).values())
            apps = cache.map_all(keys.periodic_last(host))
            worker = self._worker(host)
        except StackwatchError as exc:
            errors.append(str(exc))
        try:
            from console.core.store import ledger

            runs.extend(vars(r) for r in ledger.last_runs(self.connections.engine(), host))
        except StackwatchError as exc:
            errors.append(str(exc))
        last = periodic.newest(runs)
        if worker is not None and worker.schedule:
            zone = safe_zone(worker.timezone or self.settings.timezone)
            rows = periodic.ours(worker.schedule, zone, last, now)
        else:  # judged by no table but the worker's own: show what ran, say why no more
            errors.append(f"no schedule published by {host}'s worker: start a current worker")
            rows = periodic.unscheduled(last)
        rows += periodic.apps(apps, now, worker_queue_name(host))
        return {"ledger": tuple(rows), "ledger_error": "; ".join(errors) or None}
