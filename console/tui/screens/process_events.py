"""The Processes screen's part in supervisord's events: follow them, open a program's transitions,
and say where the listener is missing (then restarts are what polls saw)."""

from __future__ import annotations

import time
from typing import Any

from textual.message import Message
from textual.worker import get_current_worker

from console.core.events.presence import LISTENER
from console.tui.screens.transitions import TransitionsScreen

FOLLOW_EVERY_S = 0.2  # a state change reaches the screen within this plus one poll


class EventsArrived(Message):
    """supervisord reported something: poll now rather than at the next tick."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, EventsArrived)


def follow_events(screen: Any) -> None:
    """Start the thread that watches the event stream for `screen` (a ProcessesScreen)."""
    follow = getattr(screen.service, "follow_events", None)
    if follow is None:  # a service without events (tests' fixed data)
        return
    screen.run_worker(
        lambda: _follow(screen, lambda: follow(screen.app.model.host)),
        thread=True,
        exclusive=True,
        group="processes-events",
        exit_on_error=False,
    )


def _follow(screen: Any, follow: Any) -> None:
    worker = get_current_worker()
    while not worker.is_cancelled:
        if follow():
            screen.post_message(EventsArrived())
        time.sleep(FOLLOW_EVERY_S)


def events_notes(view: Any) -> list[str]:
    """One note per supervisord whose listener does not run (restarts then come from polls)."""
    notes = []
    for endpoint, state in getattr(view, "listeners", {}).items():
        if state is None:
            notes.append(f"{endpoint}: no event listener, polling (see doctor)")
        elif state != "RUNNING":
            notes.append(f"{endpoint}: {LISTENER} {state}, polling")
    return notes


def open_transitions(screen: Any) -> None:
    """The selected program's transitions in a modal, loaded by the screen's service."""
    from console.tui.widgets.process_table import ProcessTable

    row = screen.query_one(ProcessTable).current_row()
    if row is None or row.kind == "group" or screen.service is None:
        screen.notify("select a program first", severity="warning", markup=False)
        return
    state = (getattr(screen.view, "listeners", {}) or {}).get(row.endpoint)
    note = (
        "every transition, from supervisord's events"
        if state == "RUNNING"
        else "the event listener does not run here: only what polls saw (see doctor)"
    )
    service, endpoint, program = screen.service, row.endpoint, row.target
    host = screen.app.model.host
    until = getattr(screen.app, "cursor", None)  # at the time cursor: what led up to it
    if until is not None:
        note = f"up to the time cursor · {note}"
    screen.app.push_screen(
        TransitionsScreen(
            f"{program} on {endpoint}",
            note,
            lambda: (
                service.transitions(endpoint, program, host=host)
                if until is None
                else service.transitions(endpoint, program, host=host, until=until)
            ),
        )
    )
