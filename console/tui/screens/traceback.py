"""A traceback in a modal: a failed job's, or an unexpected error of the console itself.

The text is outside text (sanitized line by line, never markup); the caller hands it over
already free of locals and secrets.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from console.tui.text import outside, outside_lines


class TracebackScreen(ModalScreen[None]):
    """Escape, enter or q closes it."""

    DEFAULT_CSS = """
    TracebackScreen { align: center middle; }
    TracebackScreen > Vertical {
        width: 95%; height: 90%; border: thick $primary; background: $surface; padding: 0 1;
    }
    TracebackScreen #traceback-title { height: auto; max-height: 3; }
    TracebackScreen #traceback-scroll { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", id="traceback.close"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="traceback-box"):
            yield Static(outside(self.title_text, 300, style="bold"), id="traceback-title")
            with VerticalScroll(id="traceback-scroll"):
                body = self.body or "(no traceback was captured)"
                yield Static(outside_lines(body), id="traceback-body")

    def action_close(self) -> None:
        self.dismiss(None)
