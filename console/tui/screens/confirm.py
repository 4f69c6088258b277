"""A reusable confirmation: names the exact targets, focus starts on Cancel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

MAX_LISTED = 200


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses True only on the confirm button; Escape and Cancel dismiss False."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen #confirm-targets { height: auto; max-height: 14; }
    ConfirmScreen #confirm-buttons { height: auto; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, title: str, targets: Sequence[str], confirm_label: str, note: str = ""):
        super().__init__()
        self.title_text = title
        self.targets = list(targets)
        self.confirm_label = confirm_label
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"), id="confirm-title")
            listed = self.targets[:MAX_LISTED]
            more = len(self.targets) - len(listed)
            lines = "\n".join(f"  {t}" for t in listed) + (f"\n  … and {more} more" if more else "")
            with VerticalScroll(id="confirm-targets"):
                yield Static(Text(lines), id="confirm-list")
            if self.note:
                yield Static(Text(self.note, style="italic"), id="confirm-note")
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button(self.confirm_label, id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)
