"""The state of each source the console reads (cache, database, supervisord, worker heartbeat).

Pure functions over frozen dataclasses: the TUI keeps the current `SourceState` of each source
and calls `advance` with each poll's outcome, so "down since 14:02 — connection refused" keeps
the moment the source went down, however many polls failed since.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any

from console.core import formatting
from console.core.sanitize import first_line

OK, STALE, DOWN, UNKNOWN = "ok", "stale", "down", "unknown"
STATUSES = (OK, STALE, DOWN, UNKNOWN)


@dataclass(frozen=True)
class SourceState:
    """One source: `status` is ok / stale / down / unknown; `since` is when it became so."""

    key: str  # "cache", "database", "supervisor:<name>", "worker"
    label: str  # short name for the header: "cache", "db", "sv main", "worker"
    status: str = UNKNOWN
    since: float | None = None
    reason: str = ""  # one sanitized line: why it is not ok, or a detail when it is
    checked_at: float | None = None

    def describe(self, tz: tzinfo = UTC) -> str:
        """'cache down since 14:02 — connection refused' (plain text, for any surface)."""
        if self.status == OK:
            return f"{self.label} ok" + (f" ({self.reason})" if self.reason else "")
        if self.status == UNKNOWN:
            return f"{self.label} not checked yet"
        text = f"{self.label} {self.status}"
        if self.since is not None:
            text += f" since {clock_time(self.since, tz)}"
        return text + (f" — {self.reason}" if self.reason else "")

    def short(self) -> str:
        """'cache ok', 'db DOWN', 'worker 12 s': the header form (text carries the state)."""
        if self.status == OK:
            return (
                f"{self.label} {self.reason or 'ok'}"
                if self.key == "worker"
                else f"{self.label} ok"
            )
        word = {STALE: "STALE", DOWN: "DOWN", UNKNOWN: "unknown"}[self.status]
        return f"{self.label} {word}"


def clock_time(ts: float, tz: tzinfo = UTC) -> str:
    """HH:MM of an epoch timestamp in the given zone."""
    return formatting.hour_minute(ts, tz)


def advance(
    previous: SourceState | None,
    key: str,
    label: str,
    status: str,
    reason: str,
    now: float,
) -> SourceState:
    """The next state of a source after a poll; `since` moves only when the status changes."""
    if status not in STATUSES:
        raise ValueError(f"unknown source status {status!r}")
    since = previous.since if previous is not None and previous.status == status else now
    return SourceState(key, label, status, since, first_line(reason), now)


age_seconds = formatting.age_of


def age_text(ts: float | None, now: float) -> str:
    """'12s ago', '5m ago', '3h ago', '2d ago', or 'no data'."""
    return formatting.ago(age_seconds(ts, now), never="no data")


def is_stale(ts: float | None, now: float, collect_interval: float) -> bool:
    """Data is stale past twice the collection interval (one missed collection is normal)."""
    age = age_seconds(ts, now)
    return age is None or age > 2 * collect_interval


def heartbeat_state(
    previous: SourceState | None, beat_ts: float | None, now: float, collect_interval: float
) -> SourceState:
    """The worker source from its heartbeat: ok while fresh, stale when late, down when absent."""
    if beat_ts is None:
        return advance(previous, "worker", "worker", DOWN, "no heartbeat", now)
    age = formatting.span(age_seconds(beat_ts, now), precise=False)
    if is_stale(beat_ts, now, collect_interval):
        return advance(previous, "worker", "worker", STALE, f"last beat {age} ago", now)
    return advance(previous, "worker", "worker", OK, age, now)


def worst(states: list[SourceState]) -> str:
    """The worst status among states (down > stale > unknown > ok)."""
    order = {DOWN: 3, STALE: 2, UNKNOWN: 1, OK: 0}
    return max((s.status for s in states), key=order.__getitem__, default=OK)


@dataclass(frozen=True)
class WorkerStore:
    """The database as the worker last saw it (published with its heartbeat): ok, down, hung,
    or invalid (the field is there but not ours)."""

    status: str
    since: float | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def describe(self, tz: tzinfo = UTC) -> str:
        """'worker: database hung since 06:40 — no answer in 5 s'."""
        if self.status == "invalid":
            return f"worker: unreadable store state ({self.reason})"
        text = f"worker: database {self.status}"
        if self.since is not None:
            text += f" since {clock_time(self.since, tz)}"
        return text + (f" — {self.reason}" if self.reason else "")


WORKER_STORE_STATES = ("ok", "down", "hung")


def parse_worker_store(value: Any) -> WorkerStore | None:
    """The heartbeat's `store` field; None when absent (a worker that does not publish it)."""
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("status") not in WORKER_STORE_STATES:
        return WorkerStore("invalid", reason="not a known state")
    since = value.get("since")
    if since is not None and (
        isinstance(since, bool) or not isinstance(since, int | float) or not math.isfinite(since)
    ):
        return WorkerStore("invalid", reason="since is not a time")
    reason = value.get("reason")
    reason = first_line(reason, 120) if isinstance(reason, str) else ""
    return WorkerStore(value["status"], None if since is None else float(since), reason)


def database_state(
    previous: SourceState | None,
    probe_ok: bool,
    probe_reason: str,
    worker: WorkerStore | None,
    now: float,
) -> SourceState:
    """The db chip: down when the console cannot read it, and also when the worker says it
    cannot write it (down or hung), so a stuck database shows as that, not as a stale worker."""
    if not probe_ok:
        return advance(previous, "database", "db", DOWN, probe_reason, now)
    if worker is not None and not worker.ok:
        return advance(previous, "database", "db", DOWN, worker.describe(), now)
    return advance(previous, "database", "db", OK, probe_reason, now)
