"""Markers for the history chart: restarts, FATALs, deploys (reread/update) and supervisord
starting or stopping, from supervisord's events (or what polls recorded)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from console.core.events.model import GROUP, PROCESS, SUPERVISOR, ProcessEvent

RESTART, FATAL, DEPLOY, SUPERVISORD = "restart", "FATAL", "deploy", "supervisord"
KINDS = (RESTART, FATAL, DEPLOY, SUPERVISORD)
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


def summary(found: Sequence[Marker], limit: int = 3) -> str:
    """One line under the chart: what happened in the range shown."""
    parts = []
    restarts = Counter(m.label for m in found if m.kind == RESTART)
    if restarts:
        top = ", ".join(f"{name} ×{n}" for name, n in restarts.most_common(limit))
        parts.append(f"restarts {sum(restarts.values())} ({top})")
    for kind in (FATAL, DEPLOY, SUPERVISORD):
        mine = [m for m in found if m.kind == kind]
        if mine:
            shown = ", ".join(f"{m.label} {_clock(m.ts)}" for m in mine[-limit:])
            more = f" +{len(mine) - limit}" if len(mine) > limit else ""
            parts.append(f"{kind} {shown}{more}")
    return " · ".join(parts)


def _clock(ts: float) -> str:
    return time.strftime("%H:%M", time.localtime(ts))
