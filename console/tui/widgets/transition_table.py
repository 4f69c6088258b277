"""A program's transitions, newest first: when, from -> to, pid, exit, and where it came from."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.widgets import DataTable

from console.core.events.model import ProcessEvent
from console.core.supervisor.models import state_group

COLUMNS = ("When", "Transition", "PID", "Exit", "Expected", "Seen by")


def when(ts: float, now: float) -> str:
    """Time of day today, with the date otherwise (local time, as supervisord logs)."""
    fmt = "%H:%M:%S" if time.localtime(ts)[:3] == time.localtime(now)[:3] else "%m-%d %H:%M:%S"
    return time.strftime(fmt, time.localtime(ts)) + f".{int(ts * 1000) % 1000:03d}"


def exit_text(event: ProcessEvent) -> str:
    """supervisord's own words: "exit 3", "SIGKILL", or nothing when it was no exit."""
    detail = event.detail or ""
    if detail.startswith("exit status "):
        return "exit " + detail[len("exit status ") :]
    if detail.startswith("terminated by "):
        return detail[len("terminated by ") :]
    return detail


def cells(event: ProcessEvent, now: float) -> tuple[str, ...]:
    change = f"{event.from_state} → {event.to_state}" if event.from_state else event.to_state
    expected = "" if event.expected is None else ("yes" if event.expected else "NO")
    return (
        when(event.ts, now),
        change,
        str(event.pid or ""),
        exit_text(event),
        expected,
        "event" if event.stream_id else "poll",
    )


class TransitionTable(DataTable):
    """Rows coloured by the state entered, through component classes (colours in CSS)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transition-table--running",
        "transition-table--transition",
        "transition-table--stopped",
        "transition-table--failed",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)

    def on_mount(self) -> None:
        self.add_columns(*COLUMNS)

    def show(self, events: Sequence[ProcessEvent], now: float) -> None:
        self.clear()
        for event in events:
            style = self.get_component_rich_style(
                f"transition-table--{state_group(event.to_state)}", partial=True
            )
            row = [Text(value) for value in cells(event, now)]
            row[1].stylize(style)
            self.add_row(*row)
