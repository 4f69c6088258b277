"""What the processes screen needs, behind one object: polls, restart counts, actions, audit.

Every method blocks (RPC, SQL) and is meant for a worker thread; each returns dataclasses and
never raises for an outage (the outage is in the returned value).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from console.core.errors import StackwatchError
from console.core.events.presence import listener_state
from console.core.events.timeline import Transitions, pending_starts
from console.core.settings import Settings
from console.core.supervisor.actions import Actions
from console.core.supervisor.audit import audit_results
from console.core.supervisor.models import ActionResult, ConfigDiff, ProcessesSnapshot
from console.core.supervisor.poll import Poller, make_clients
from console.core.supervisor.update import reread, update

COUNTS_EVERY_S = 15.0  # restart counts change slowly; the database is asked seldom


@dataclass(frozen=True)
class ProcessesView:
    """A snapshot plus restart counts per (endpoint, group:name)."""

    snapshot: ProcessesSnapshot
    restarts: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    counts_error: str = ""
    # endpoint -> the event listener's state (None: not installed): exact events or polls only
    listeners: dict[str, str | None] = field(default_factory=dict)


class ProcessService:
    """Owns the clients (a connection per thread each) and the CPU sampler."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.clients = {c.name: c for c in make_clients(settings)}
        self.poller = Poller(list(self.clients.values()), settings.host)
        self._counts: dict[tuple[str, str], tuple[int, int]] = {}
        self._counts_at = 0.0
        self._counts_error = ""
        self._watermark = "0-0"
        self._engine = None
        self._follower = None

    def poll(self) -> ProcessesView:
        snapshot = self.poller.poll()
        if time.monotonic() - self._counts_at >= COUNTS_EVERY_S:
            self._counts_at = time.monotonic()
            self._refresh_counts(snapshot.ts)
        listeners = {e.name: listener_state(snapshot.processes, e.name) for e in snapshot.endpoints}
        restarts = self._with_pending(dict(self._counts), snapshot.ts)
        return ProcessesView(snapshot, restarts, self._counts_error, listeners)

    def _refresh_counts(self, now: float) -> None:
        try:
            from console.core.events.mover import stored_watermark
            from console.core.store import process_events

            counts = process_events.restart_counts(self._store(), self.settings.host, now)
            # After the counts: an event moved in between is missed for a moment, never doubled.
            self._watermark = stored_watermark(self._store(), self.settings.host)
        except StackwatchError as exc:
            self._counts_error = str(exc)
            return
        self._counts = {key: (c.hour, c.day) for key, c in counts.items()}
        self._counts_error = ""

    def _with_pending(self, counts: dict, now: float) -> dict:
        """Store counts plus the starts still in the event stream (moved once a minute)."""
        if self._follower is None:
            return counts
        recent = self._follower.recent()
        hour = pending_starts(recent, self._watermark, now - 3600)
        day = pending_starts(recent, self._watermark, now - 86400)
        for key, n in day.items():
            before = counts.get(key, (0, 0))
            counts[key] = (before[0] + hour.get(key, 0), before[1] + n)
        return counts

    def follow_events(self) -> bool:
        """Did supervisord report anything since the last call? (for a watcher thread)"""
        try:
            if self._follower is None:
                from console.core.cache import open_cache
                from console.core.events.follow import EventFollower

                self._follower = EventFollower(open_cache(self.settings), self.settings.host)
                self._follower.refresh()
                return False
            return bool(self._follower.refresh())
        except StackwatchError:
            return False  # the header shows the cache as down; polls go on

    def transitions(self, endpoint: str, program: str) -> Transitions:
        """A program's recent transitions from the store and the event stream."""
        from console.core.events.timeline import transitions

        cache = self._follower.cache if self._follower is not None else None
        try:
            engine = self._store()
        except StackwatchError:
            engine = None
        return transitions(cache, engine, self.settings.host, endpoint, program)

    def _store(self):
        if self._engine is None:
            from console.core.store.engine import make_engine

            self._engine = make_engine(self.settings.resolved_database_url)
        return self._engine

    def act(
        self, action: str, endpoints: list[str], target: str, signal: str = ""
    ) -> list[ActionResult]:
        """Run one action on each named endpoint, then audit every result."""
        results = []
        for name in endpoints:
            actions = Actions(self.clients[name])
            if action == "signal":
                results.append(actions.signal(target, signal))
            else:
                results.append(getattr(actions, action)(target))
        self._audit(results)
        return results

    def reread(self, endpoint: str) -> ConfigDiff | ActionResult:
        return reread(Actions(self.clients[endpoint]))

    def update(self, endpoint: str, diff: ConfigDiff) -> ActionResult:
        result = update(Actions(self.clients[endpoint]), diff)
        self._audit([result])
        return result

    def _audit(self, results: list[ActionResult]) -> None:
        warning = audit_results(self.settings, results)
        if warning:  # the action happened; say the audit did not
            results.append(ActionResult("audit", "", "", "", error=warning))

    def audit_entries(self, limit: int = 200) -> list | str:
        """Newest audit entries, or the reason they cannot be read."""
        try:
            from console.core.store import audit

            return audit.recent(self._store(), limit)
        except StackwatchError as exc:
            return str(exc)

    def close(self) -> None:
        self.poller.close()
        if self._follower is not None:
            self._follower.cache.close()
        if self._engine is not None:
            self._engine.dispose()
