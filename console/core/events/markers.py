"""Markers for the history chart: restarts, FATALs, deploys (reread/update) and supervisord
starting or stopping, from supervisord's events (or what polls recorded); and alerts firing,
from the alert history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from console.core.events.model import GROUP, PROCESS, SUPERVISOR, ProcessEvent

RESTART, FATAL, DEPLOY, SUPERVISORD = "restart", "FATAL", "deploy", "supervisord"
ALERT = "alert"
KINDS = (RESTART, FATAL, DEPLOY, SUPERVISORD, ALERT)
ALERT_EVENTS = ("firing", "silenced")  # the history's events of an alert starting to fire
DEPLOY_JOIN_S = 30.0  # group removals/additions this close are one reread/update


@dataclass(frozen=True)
class Marker:
    ts: float
    kind: str  # one of KINDS
    label: str  # the program, the groups of a deploy, or supervisord's new state


def marker_of(event: ProcessEvent) -> Marker | None:
    """The marker an event makes, if any (a start after any earlier state is a restart)."""
    if event.kind == PROCESS and event.to_state == "STARTING" and event.from_state:
        return Marker(event.ts, RESTART, event.program)
    if event.kind == PROCESS and event.to_state == "FATAL":
        return Marker(event.ts, FATAL, event.program)
    if event.kind == GROUP:
        return Marker(event.ts, DEPLOY, f"{event.program} {event.to_state.lower()}")
    if event.kind == SUPERVISOR:
        return Marker(event.ts, SUPERVISORD, event.to_state)
    return None


def markers(events: Iterable[ProcessEvent], since: float, until: float) -> tuple[Marker, ...]:
    """Markers in [since, until), oldest first; a deploy's group changes joined into one."""
    found = sorted(
        (m for e in events if since <= e.ts < until and (m := marker_of(e)) is not None),
        key=lambda m: m.ts,
    )
    out: list[Marker] = []
    for m in found:
        last = out[-1] if out else None
        if m.kind == DEPLOY and last and last.kind == DEPLOY and m.ts - last.ts <= DEPLOY_JOIN_S:
            out[-1] = Marker(last.ts, DEPLOY, f"{last.label}, {m.label}")
        else:
            out.append(m)
    return tuple(out)


def alert_markers(history: Iterable[Any], since: float, until: float) -> tuple[Marker, ...]:
    """An ALERT marker per alert firing in [since, until), oldest first, from the alert
    history's entries (console.core.store.alert_history.HistoryEntry): `rule subject`."""
    found = [
        Marker(h.ts, ALERT, f"{h.rule} {h.subject}" if h.subject else h.rule)
        for h in history
        if h.event in ALERT_EVENTS and since <= h.ts < until
    ]
    return tuple(sorted(found, key=lambda m: m.ts))


def state_markers(states: Iterable[Any], since: float, until: float) -> tuple[Marker, ...]:
    """The same from the alert states kept in the cache (console.core.alerts.model.AlertState):
    each alert's last firing only, enough for the last hour without the store."""
    found = [
        Marker(s.fired_at, ALERT, f"{s.rule} {s.subject}" if s.subject else s.rule)
        for s in states
        if s.fired_at is not None and since <= s.fired_at < until
    ]
    return tuple(sorted(found, key=lambda m: m.ts))


def with_alerts(found: tuple[Marker, ...], alerts: tuple[Marker, ...]) -> tuple[Marker, ...]:
    """Both kinds in one tuple, oldest first."""
    return tuple(sorted((*found, *alerts), key=lambda m: m.ts)) if alerts else found
