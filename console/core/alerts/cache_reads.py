"""Program states and transitions from the cache alone, for when the database is down: the
FATAL / unexpected-exit / crash-loop rules are what an operator needs during an outage.

The states come from the process list this host's worker publishes each collection (what
supervisord said), overlaid by the newer events of the listener's stream; the transitions
from that stream, which keeps its newest entries whether or not they reached the store.
"""

from __future__ import annotations

from collections.abc import Sequence

from console.core.alerts.model import ExitReading, ProgramReading
from console.core.events.model import PROCESS, ProcessEvent
from console.core.fleet.published import Published

STALE_INTERVALS = 3  # a list older than this many collections no longer says what runs


def cached_programs(
    published: Published | None, events: Sequence[ProcessEvent], now: float
) -> tuple[ProgramReading, ...] | None:
    """Each program's state: the published list's, or a newer event's; None when neither
    says anything (no fresh list and no event: the rules cannot tell)."""
    latest: dict[tuple[str, str], ProgramReading] = {}
    if published is not None and now - published.snapshot.ts <= STALE_INTERVALS * max(
        published.interval, 1.0
    ):
        ts = published.snapshot.ts
        for p in published.snapshot.processes:
            latest[(p.endpoint, p.full_name)] = ProgramReading(
                p.endpoint, p.full_name, p.statename, ts
            )
    elif not any(e.kind == PROCESS for e in events):
        return None
    lay_events_over(latest, events)
    return tuple(latest.values())


def lay_events_over(
    latest: dict[tuple[str, str], ProgramReading], events: Sequence[ProcessEvent]
) -> None:
    """Each program's state in `latest` replaced by a newer process event's, in place."""
    for e in sorted(events, key=lambda e: e.ts):
        if e.kind != PROCESS:
            continue
        key = (e.endpoint, e.program)
        if key not in latest or latest[key].since <= e.ts:
            latest[key] = ProgramReading(e.endpoint, e.program, e.to_state, e.ts)


def exit_reading(e: ProcessEvent) -> ExitReading:
    return ExitReading(e.endpoint, e.program, e.ts, e.to_state, e.expected, e.detail)


def cached_transitions(
    events: Sequence[ProcessEvent], window_s: float, now: float
) -> tuple[ExitReading, ...] | None:
    """Starts and exits in the window from the stream; None when the stream holds no process
    event at all (no listener runs: only the store could tell)."""
    process = [e for e in events if e.kind == PROCESS]
    if not process:
        return None
    return tuple(exit_reading(e) for e in process if e.ts >= now - window_s)
