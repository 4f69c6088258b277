"""The audit log: every action taken, newest first."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from console.core.sanitize import clean

FULL_COLUMNS = ("When", "Who", "Action", "Target", "Command", "Result")
NARROW_COLUMNS = ("When", "Action", "Target", "Result")  # the command is in the action/target
WIDE = 140


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
        self._fill(self.app.size.width)
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self._fill(self.app.size.width)

    def _fill(self, width: int) -> None:
        """Columns for this width; Result gets the rest of the line and wraps, never cut."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        names = FULL_COLUMNS if width >= WIDE else NARROW_COLUMNS
        entries = [] if isinstance(self.entries, str) else list(self.entries)
        rows = [audit_cells(e, names) for e in entries]
        fixed = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names[:-1])]
        room = int(width * 0.95) - 4 - sum(fixed) - 2 * len(names)
        for name, cells in zip(names[:-1], fixed, strict=True):
            table.add_column(name, width=cells)
        table.add_column(names[-1], width=max(20, room))
        for cells in rows:
            table.add_row(*(Text(c) for c in cells), height=None)


def audit_cells(e: Any, names: Sequence[str]) -> list[str]:
    """One entry's cells; the result without the command it repeats ("restart web: ok")."""
    command = clean(str(e.command), 300)
    result = clean(str(e.result), 300).removeprefix(f"{command}: ")
    fmt = "%Y-%m-%d %H:%M:%S" if "Who" in names else "%m-%d %H:%M"
    values = {
        "When": time.strftime(fmt, time.localtime(e.ts)),
        "Who": clean(str(e.user), 60),
        "Action": clean(str(e.action), 60),
        "Target": clean(str(e.target), 120),
        "Command": command,
        "Result": result,
    }
    return [values[n] for n in names]

    def action_close(self) -> None:
        self.dismiss(None)
