"""The full traceback of a failed job (sanitized text, never markup)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class QueueTraceback(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", id="traceback.close"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="queue-traceback"):
            yield Static(Text(self.title_text, style="bold"), id="traceback-title")
            with VerticalScroll(id="traceback-scroll"):
                yield Static(Text(self.body or "(no traceback was captured)"), id="traceback-body")

    def action_close(self) -> None:
        self.dismiss(None)
