"""The processes feed over the shared supervisord clients, cache and store engine.

Per host: a poller (its endpoints and one CPU sampler kept between polls, since psutil needs
two samples), restart counts from the store (asked seldom: they change slowly) plus the starts
still in the event stream, and a follower of that stream.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from console.core.errors import StackwatchError
from console.core.events.presence import listener_state
from console.core.events.timeline import Transitions, pending_starts
from console.core.feeds.connections import Connections
from console.core.feeds.processes import ProcessesView
from console.core.supervisor.actions import Actions
from console.core.supervisor.audit import audit_results
from console.core.supervisor.models import ActionResult, ConfigDiff, ProcessesSnapshot
from console.core.supervisor.pacing import Pacer, aged
from console.core.supervisor.poll import Poller
from console.core.supervisor.update import reread, update

COUNTS_EVERY_S = 15.0  # restart counts change slowly; the database is asked seldom
RESOURCES_EVERY = 4  # CPU/memory of every process tree: a machine-wide scan every 4 refreshes


@dataclass
class _HostState:
    """What the feed keeps for one host between polls (touched by its poll thread only)."""

    poller: Poller
    counts: dict = field(default_factory=dict)
    counts_at: float = float("-inf")
    counts_error: str = ""
    watermark: str = "0-0"
    follower: Any = None
    following: bool = False  # the event stream was read at its last check
    pacer: Pacer = field(default_factory=lambda: Pacer(1.5))
    last: ProcessesSnapshot | None = None  # the last full poll, aged between polls


class LiveProcesses:
    """The real processes feed; per-host state is made on a host's first read."""

    def __init__(self, connections: Connections) -> None:
        self.connections = connections
        self.settings = connections.settings
        self._hosts: dict[str, _HostState] = {}
        self._lock = threading.Lock()
        self._fleet: Any = None

    def _state(self, host: str) -> _HostState:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                endpoints = self.settings.endpoints_of(host)
                clients = [self.connections.supervisor(e) for e in endpoints]
                refresh = self.settings.refresh_processes
                state = self._hosts[host] = _HostState(
                    Poller(clients, host, resources_every_s=RESOURCES_EVERY * refresh),
                    pacer=Pacer(refresh),
                )
            return state

    def is_remote(self, host: str | None) -> bool:
        """No supervisord URL configured for `host`, and a Redis its worker reports to: it
        is seen and run through its worker (without Redis, the screen says to configure one)."""
        return (
            host is not None
            and bool(self.settings.redis_url)
            and not self.settings.endpoints_of(host)
        )

    def poll(self, host: str, as_of: float | None = None) -> ProcessesView:
        if as_of is not None:
            return self._past(host, as_of)
        state = self._state(host)
        if self.is_remote(host):
            snapshot, listeners = self._remote_snapshot(host)
            if state.follower is not None:  # the listener's newer states, where it runs
                from console.core.feeds.processes_remote import with_events

                snapshot = with_events(snapshot, state.follower.recent())
            if time.monotonic() - state.counts_at >= COUNTS_EVERY_S:
                state.counts_at = time.monotonic()
                self._refresh_counts(host, state, snapshot.ts)
            restarts = self._with_pending(state, dict(state.counts), time.time())
            return ProcessesView(snapshot, restarts, state.counts_error, listeners)
        snapshot = self._paced_snapshot(state)
        if time.monotonic() - state.counts_at >= COUNTS_EVERY_S:
            state.counts_at = time.monotonic()
            self._refresh_counts(host, state, snapshot.ts)
        listeners = {e.name: listener_state(snapshot.processes, e.name) for e in snapshot.endpoints}
        restarts = self._with_pending(state, dict(state.counts), snapshot.ts)
        return ProcessesView(snapshot, restarts, state.counts_error, listeners)

    def _paced_snapshot(self, state: _HostState) -> ProcessesSnapshot:
        """A full poll when due (pacing.py), else the last one aged to now."""
        last, now = state.last, time.monotonic()
        listening = (
            state.following
            and last is not None
            and bool(last.endpoints)
            and all(listener_state(last.processes, e.name) == "RUNNING" for e in last.endpoints)
        )
        if last is not None and not state.pacer.due(now, listening):
            return aged(last, time.time())
        state.pacer.events = False  # before the poll: events arriving during it poll again
        snapshot = state.poller.poll()
        # counted from the poll's end: a slow supervisord is asked no more often for it
        state.pacer.polled(time.monotonic(), snapshot.processes, snapshot.reachable)
        state.last = snapshot
        return snapshot

    def poke(self, host: str | None = None) -> None:
        """The user pressed a key or acted: poll at the next tick, and every refresh again."""
        self._state(host or self.settings.host).pacer.snap()

    def _past(self, host: str, as_of: float) -> ProcessesView:
        from console.core.feeds.processes_past import past_view

        try:
            engine = self.connections.engine()
        except StackwatchError as exc:
            return ProcessesView(ProcessesSnapshot(host, as_of), {}, str(exc), as_of=as_of)
        return past_view(engine, host, as_of)

    def _refresh_counts(self, host: str, state: _HostState, now: float) -> None:
        try:
            from console.core.events.mover import stored_watermark
            from console.core.store import process_events

            engine = self.connections.engine()
            counts = process_events.restart_counts(engine, host, now)
            # After the counts: an event moved in between is missed for a moment, never doubled.
            state.watermark = stored_watermark(engine, host)
        except StackwatchError as exc:
            state.counts_error = str(exc)
            return
        state.counts = {key: (c.hour, c.day) for key, c in counts.items()}
        state.counts_error = ""

    def _with_pending(self, state: _HostState, counts: dict, now: float) -> dict:
        """Store counts plus the starts still in the event stream (moved once a minute)."""
        if state.follower is None:
            return counts
        recent = state.follower.recent()
        hour = pending_starts(recent, state.watermark, now - 3600)
        day = pending_starts(recent, state.watermark, now - 86400)
        for key, n in day.items():
            before = counts.get(key, (0, 0))
            counts[key] = (before[0] + hour.get(key, 0), before[1] + n)
        return counts

    def follow_events(self, host: str | None = None) -> bool:
        """Did `host`'s supervisord report anything since the last call? (a watcher thread)"""
        state = self._state(host or self.settings.host)
        try:
            if state.follower is None:
                from console.core.events.follow import EventFollower

                state.follower = EventFollower(self.connections.cache(), state.poller.host)
                state.follower.refresh()
                state.following = True
                return False
            arrived = bool(state.follower.refresh())
            state.following = True
            if arrived:
                state.pacer.events = True
            return arrived
        except StackwatchError:
            state.following = False  # events unseen: the pacer falls back to backing off
            return False  # the header shows the cache as down; polls go on

    def transitions(
        self, endpoint: str, program: str, host: str | None = None, until: float | None = None
    ) -> Transitions:
        """A program's recent transitions from the store and the event stream (`host`: the
        one shown; needed for a host seen through its worker, whose endpoints are not ours;
        `until`: the time cursor, the newest shown)."""
        from console.core.events.timeline import transitions

        # at a past time the stored endpoint may be gone from the settings: keep the host shown
        if host is None or (until is None and not self.is_remote(host)):
            host = self.settings.endpoint_host(self._endpoint(endpoint))
        follower = self._state(host).follower
        try:
            engine = self.connections.engine()
        except StackwatchError:
            engine = None
        cache = follower.cache if follower is not None else None
        return transitions(cache, engine, host, endpoint, program, until=until)

    def _remote_snapshot(self, host: str) -> tuple[ProcessesSnapshot, dict]:
        from console.core.feeds.processes_remote import remote_snapshot, watch

        redis = self.connections.redis()
        watch(redis, host)
        return remote_snapshot(redis, host, time.time())

    def _remote(self) -> Any:
        """Actions through a host's worker (one client over the shared Redis)."""
        from console.core.feeds.processes_remote import RemoteActions
        from console.core.fleet.client import FleetClient
        from console.core.store.audit import who

        with self._lock:
            if self._fleet is None:
                client = FleetClient(
                    self.connections.redis(), self.settings.host, who(), self.settings.fleet_timeout
                )
                self._fleet = RemoteActions(client)
            return self._fleet

    # -- actions --------------------------------------------------------------------------
    def _endpoint(self, name: str) -> Any:
        return next(e for e in self.settings.supervisors if e.name == name)

    def _actions(self, endpoint: str) -> Actions:
        return Actions(self.connections.supervisor(self._endpoint(endpoint)))

    def act(
        self,
        action: str,
        endpoints: list[str],
        target: str,
        signal: str = "",
        host: str | None = None,
    ) -> list[ActionResult]:
        if self.is_remote(host):
            results = self._remote().act(host, action, endpoints, target, signal)
            self._audit(results)
            return results
        results = []
        for name in endpoints:
            actions = self._actions(name)
            if action == "signal":
                results.append(actions.signal(target, signal))
            else:
                results.append(getattr(actions, action)(target))
        self._audit(results)
        return results

    def reread(self, endpoint: str, host: str | None = None) -> ConfigDiff | ActionResult:
        if self.is_remote(host):
            return self._remote().reread(host, endpoint)
        return reread(self._actions(endpoint))

    def update(self, endpoint: str, diff: ConfigDiff, host: str | None = None) -> ActionResult:
        if self.is_remote(host):
            result = self._remote().update(host, endpoint, diff)
        else:
            result = update(self._actions(endpoint), diff)
        self._audit([result])
        return result

    def _audit(self, results: list[ActionResult]) -> None:
        warning = audit_results(self.settings, results, self.connections.engine())
        if warning:  # the action happened; say the audit did not
            results.append(ActionResult("audit", "", "", "", error=warning))

    def audit_entries(self, limit: int = 200) -> list | str:
        try:
            from console.core.store import audit

            return audit.recent(self.connections.engine(), limit)
        except StackwatchError as exc:
            return str(exc)

    def close(self) -> None:
        """Stop the pollers' threads; clients and cache belong to the connections."""
        with self._lock:
            states, self._hosts = list(self._hosts.values()), {}
        for state in states:
            state.poller.close()
