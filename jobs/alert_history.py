"""Alert history to the store, from the evaluation job and the sender thread alike; entries
that could not be written wait (bounded) for the next chance, as job runs do."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from console.core.alerts.model import AlertState
from console.core.errors import SourceUnavailable
from console.core.store import alert_history
from console.core.store.alert_history import HistoryEntry
from jobs.storegate import OK

MAX_PENDING = 1000


def entry(event: str, state: AlertState, ts: float, detail: str | None = None) -> HistoryEntry:
    """One history line for `state`: what happened to it (`event`) at `ts`."""
    return HistoryEntry(
        ts,
        state.fingerprint,
        state.rule,
        state.subject,
        event,
        state.summary,
        state.value,
        state.threshold,
        detail=detail,
    )


class HistoryWriter:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.pending: list[HistoryEntry] = []
        self._lock = threading.Lock()

    def add(self, entries: Sequence[HistoryEntry]) -> None:
        """Write these (and any waiting); never raises."""
        with self._lock:
            batch = [*self.pending, *entries][-MAX_PENDING:]
            self.pending = []
        if not batch:
            return
        if self.ctx.store.state.status != OK:  # wait for the collection to find it back
            with self._lock:
                self.pending = (batch + self.pending)[-MAX_PENDING:]
            return
        try:
            self.ctx.store.run(lambda: alert_history.record(self.ctx.engine, self.ctx.host, batch))
        except SourceUnavailable:  # the store gate has said so, once per outage
            with self._lock:
                self.pending = (batch + self.pending)[-MAX_PENDING:]
