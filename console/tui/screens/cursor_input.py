"""The time cursor's input: type `03:12`, `-2h`, `yesterday 14:00`, an ISO date, or `now`.

Parsed by `console.core.timecursor` on Enter; a bad time is said in one line under the
input, which stays open; Escape leaves the cursor where it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from console.core.timecursor import HINT, TimeInputError

# The screen's answer: ("live", None), ("at", seconds), or None when cancelled.
Answer = tuple[str, float | None] | None


class CursorInput(ModalScreen[Answer]):
    """Dismisses with the parsed time (or live), or None on Escape."""

    DEFAULT_CSS = """
    CursorInput { align: center middle; }
    CursorInput > Vertical {
        width: 70; max-width: 95%; height: auto;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    CursorInput #cursor-error { color: $error; height: auto; }
    CursorInput #cursor-hint { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cursor.cancel"),
    ]

    def __init__(self, parse: Callable[[str], float | None], current: str = "") -> None:
        super().__init__()
        self._parse = parse
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Look at the console at time:"))
            yield Input(value=self._current, placeholder="03:12", id="cursor-text")
            yield Static(Text(HINT), id="cursor-hint")
            yield Static(Text(""), id="cursor-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            at = self._parse(event.value)
        except TimeInputError as exc:
            self.query_one("#cursor-error", Static).update(Text(str(exc)))
            return
        self.dismiss(("live", None) if at is None else ("at", at))

    def action_cancel(self) -> None:
        self.dismiss(None)
