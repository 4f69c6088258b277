"""The audit log: every action taken, newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from console.core.sanitize import clean
from console.tui.text import outside


class AuditScreen(ModalScreen[None]):
    """Shows entries handed over by the caller (loaded in a worker, never here)."""

    DEFAULT_CSS = """
    AuditScreen { align: center middle; }
    AuditScreen > Vertical {
        width: 95%; height: 90%; border: thick $accent; background: $surface;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,a", "close", "Close", id="audit.close"),
    ]

    def __init__(self, entries: Sequence[Any] | str) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Audit log (newest first)", style="bold"))
            if isinstance(self.entries, str):
                yield Static(Text(f"Unavailable: {clean(self.entries)}"), id="audit-error")
            yield DataTable(id="audit-table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        zone = getattr(self.app, "tz", dt.UTC)  # the console's time zone, as everywhere else
        table.add_columns("When", "Who", "Action", "Target", "Command", "Result")
        for e in [] if isinstance(self.entries, str) else self.entries:
            when = dt.datetime.fromtimestamp(e.ts, zone).strftime("%Y-%m-%d %H:%M:%S")
            cells = (when, e.user, e.action, e.target, e.command, e.result)
            table.add_row(*(outside(c, 300) for c in cells))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
