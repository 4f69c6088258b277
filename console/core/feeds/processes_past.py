"""The Processes screen at a past time: each program's state then, from the stored events,
its restart counts over the hour and day before, and the events around that time."""

from __future__ import annotations

from typing import Any

from console.core.errors import StackwatchError
from console.core.events.model import ProcessEvent
from console.core.feeds.processes import ProcessesView
from console.core.sanitize import clean
from console.core.supervisor.models import (
    EndpointStatus,
    ProcessesSnapshot,
    ProcessInfo,
    ProcessState,
)


def process_at(event: ProcessEvent, at: float) -> ProcessInfo:
    """A program as its newest event at or before `at` left it (no CPU, memory or logs)."""
    group, _, name = event.program.partition(":")
    state = event.to_state if event.to_state in ProcessState.__members__ else "UNKNOWN"
    running = state == "RUNNING"
    return ProcessInfo(
        endpoint=clean(event.endpoint, 200),
        group=clean(group, 200),
        name=clean(name or group, 200),
        state=int(ProcessState[state]),
        statename=state,
        pid=(event.pid or 0) if running or state in ("STARTING", "STOPPING") else 0,
        start=int(event.ts) if running else 0,
        now=int(at),
        exitstatus=event.exitstatus or 0,
        exit_words=clean(event.detail or "", 200),
    )


def past_view(engine: Any, host: str, at: float) -> ProcessesView:
    """Every program's state at `at`; an unreadable store says why in `counts_error`."""
    from console.core.store import process_events

    try:
        states = process_events.states_at(engine, host, at)
        counts = process_events.restart_counts(engine, host, at, past=True)
        around = process_events.events_around(engine, host, at)
    except StackwatchError as exc:
        return ProcessesView(ProcessesSnapshot(host, at), {}, str(exc), as_of=at)
    processes = tuple(process_at(e, at) for e in states)
    names = sorted({p.endpoint for p in processes})
    endpoints = tuple(EndpointStatus(name, "stored events") for name in names)
    snapshot = ProcessesSnapshot(host, at, processes, endpoints)
    restarts = {key: (c.hour, c.day) for key, c in counts.items()}
    note = "" if processes else "no process events stored before that time"
    return ProcessesView(snapshot, restarts, note, as_of=at, around=tuple(around))
