"""Confirmation for a destructive queue action: names the exact target, focused on Cancel."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class QueueConfirm(ModalScreen[bool]):
    """Dismisses with True only when the action button is pressed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, question: str, target: str, action_label: str) -> None:
        super().__init__()
        self.question = question
        self.target = target  # untrusted text: shown with Text, never markup
        self.action_label = action_label

    def compose(self) -> ComposeResult:
        with Vertical(id="queue-confirm"):
            yield Static(Text(self.question, style="bold"), id="confirm-question")
            yield Static(Text(self.target), id="confirm-target")
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="confirm-cancel")
                yield Button(Text(self.action_label), id="confirm-ok", variant="error")

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-ok")

    def action_cancel(self) -> None:
        self.dismiss(False)
