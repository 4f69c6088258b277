"""The processes feed over the shared supervisord clients and store engine.

Restart counts come from the store, asked seldom (they change slowly); CPU and memory of
local programs come from one sampler kept between polls (psutil needs two samples).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from console.core.errors import StackwatchError
from console.core.feeds.as_of import NO_HISTORY_VIEW
from console.core.feeds.connections import Connections
from console.core.feeds.processes import ProcessesView
from console.core.supervisor.actions import Actions
from console.core.supervisor.audit import audit_results
from console.core.supervisor.models import ActionResult, ConfigDiff, ProcessesSnapshot
from console.core.supervisor.poll import Poller
from console.core.supervisor.update import reread, update

COUNTS_EVERY_S = 15.0  # restart counts change slowly; the database is asked seldom


class LiveProcesses:
    """One poller per host (its endpoints, its CPU sampler), built on first read."""

    def __init__(self, connections: Connections) -> None:
        self.connections = connections
        self.settings = connections.settings
        self._pollers: dict[str, Poller] = {}
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[float, dict, str]] = {}  # host -> (at, counts, error)

    def _poller(self, host: str) -> Poller:
        with self._lock:
            poller = self._pollers.get(host)
        if poller is None:
            clients = [self.connections.supervisor(e) for e in self.settings.endpoints_of(host)]
            poller = Poller(clients, host)
            with self._lock:
                poller = self._pollers.setdefault(host, poller)
        return poller

    def poll(self, host: str, as_of: float | None = None) -> ProcessesView:
        if as_of is not None:
            return ProcessesView(ProcessesSnapshot(host, as_of), {}, NO_HISTORY_VIEW)
        snapshot = self._poller(host).poll()
        at, counts, error = self._counts.get(host, (0.0, {}, ""))
        if time.monotonic() - at >= COUNTS_EVERY_S:
            counts, error = self._restart_counts(host, snapshot.ts)
            self._counts[host] = (time.monotonic(), counts, error)
        return ProcessesView(snapshot, dict(counts), error)

    def _restart_counts(self, host: str, now: float) -> tuple[dict, str]:
        try:
            from console.core.store import process_events

            counts = process_events.restart_counts(self.connections.engine(), host, now)
        except StackwatchError as exc:
            return {}, str(exc)
        return {key: (c.hour, c.day) for key, c in counts.items()}, ""

    def _actions(self, endpoint: str) -> Actions:
        found = next(e for e in self.settings.supervisors if e.name == endpoint)
        return Actions(self.connections.supervisor(found))

    def act(
        self, action: str, endpoints: list[str], target: str, signal: str = ""
    ) -> list[ActionResult]:
        results = []
        for name in endpoints:
            actions = self._actions(name)
            if action == "signal":
                results.append(actions.signal(target, signal))
            else:
                results.append(getattr(actions, action)(target))
        self._audit(results)
        return results

    def reread(self, endpoint: str) -> ConfigDiff | ActionResult:
        return reread(self._actions(endpoint))

    def update(self, endpoint: str, diff: ConfigDiff) -> ActionResult:
        result = update(self._actions(endpoint), diff)
        self._audit([result])
        return result

    def _audit(self, results: list[ActionResult]) -> None:
        warning = audit_results(self.settings, results, self._engine())
        if warning:  # the action happened; say the audit did not
            results.append(ActionResult("audit", "", "", "", error=warning))

    def _engine(self) -> Any:
        return self.connections.engine()

    def audit_entries(self, limit: int = 200) -> list | str:
        try:
            from console.core.store import audit

            return audit.recent(self._engine(), limit)
        except StackwatchError as exc:
            return str(exc)

    def close(self) -> None:
        """Stop the pollers' threads; the clients belong to the connections."""
        with self._lock:
            pollers, self._pollers = list(self._pollers.values()), {}
        for poller in pollers:
            poller.close()
