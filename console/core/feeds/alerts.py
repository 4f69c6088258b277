"""The alerts feed: a host's alerts as the worker keeps them, their history, and silencing
one (audited, and recorded in the alert history). Blocking; for the console's thread workers
and `stackwatch alerts`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from console.core.alerts.silences import new_silence
from console.core.alerts.view import AlertsView, read_view
from console.core.errors import SourceUnavailable
from console.core.formatting import span
from console.core.sanitize import first_line
from console.core.store.alert_history import HistoryEntry

HISTORY_DAYS = 7


class AlertsFeed(Protocol):
    def view(self, host: str) -> AlertsView: ...
    def history(self, host: str, fingerprint: str | None = None) -> list[HistoryEntry]: ...
    def silence(self, host: str, match: str, duration_s: float, reason: str) -> str:
        """Silence an alert (fingerprint) or a rule (name); what happened, in words."""
        ...

    def close(self) -> None: ...


class LiveAlerts:
    def __init__(self, connections: Any, clock: Callable[[], float] = time.time) -> None:
        self.connections = connections
        self.clock = clock

    def view(self, host: str) -> AlertsView:
        try:
            return read_view(self.connections.cache(), host, self.clock())
        except SourceUnavailable as exc:
            return AlertsView(host, error=first_line(str(exc), 300))

    def history(self, host: str, fingerprint: str | None = None) -> list[HistoryEntry]:
        """Raises SourceUnavailable when the store is down."""
        from console.core.store import alert_history

        since = self.clock() - HISTORY_DAYS * 86400
        return alert_history.recent(self.connections.engine(), host, since, fingerprint)

    def silence(self, host: str, match: str, duration_s: float, reason: str) -> str:
        from console.core.alerts import kept
        from console.core.store import alert_history, audit

        now = self.clock()
        try:
            silence = new_silence(match, duration_s, reason, audit.who(), now)
        except ValueError as exc:
            return f"not silenced: {exc}"
        try:
            kept.add_silence(self.connections.cache(), host, silence)
        except SourceUnavailable as exc:
            return f"not silenced: {exc}"
        result = f"silenced {silence.match} for {span(duration_s)}: {silence.reason}"
        entry = audit.entry(self.connections.settings.host, "silence_alert", match, "", result)
        note = HistoryEntry(now, match, "", "", "silence", result, detail=silence.who)
        try:
            audit.record(self.connections.engine(), [entry])
            alert_history.record(self.connections.engine(), host, [note])
        except SourceUnavailable as exc:
            return f"{result}; not audited: {exc}"
        return result

    def close(self) -> None:
        """The connections belong to the feeds."""
