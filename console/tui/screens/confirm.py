"""The one confirmation: names the exact targets, focus starts on Cancel; what to ask is a
`Confirmation`, and `PolledScreen.confirm_then` runs the flow (twice for many targets)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from console.core.sanitize import clean
from console.tui.text import outside

MAX_LISTED = 200


@dataclass(frozen=True)
class Confirmation:
    """What to ask before a destructive action; `twice` asks again when it hits many targets."""

    title: str
    targets: Sequence[str]
    label: str  # the confirm button, e.g. "Restart"
    note: str = ""
    twice: bool = False
    command: str = ""  # what it equals (supervisorctl …), for the cancelled note
    again: str = field(default="")  # the second question; a default is derived from the label

    def second(self) -> ConfirmScreen:
        title = self.again or f"Really {self.label.lower()} ALL {len(self.targets)} listed?"
        return ConfirmScreen(title, self.targets, f"Yes, {self.label.lower()} all")

    def first(self) -> ConfirmScreen:
        return ConfirmScreen(self.title, self.targets, self.label, self.note)


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
            yield Static(outside(self.title_text, 500, style="bold"), id="confirm-title")
            listed = self.targets[:MAX_LISTED]
            more = len(self.targets) - len(listed)
            lines = "\n".join(f"  {clean(t, 300)}" for t in listed)
            lines += f"\n  … and {more} more" if more else ""
            with VerticalScroll(id="confirm-targets"):
                yield Static(Text(lines), id="confirm-list")  # each target cleaned above
            if self.note:
                yield Static(outside(self.note, 500, style="italic"), id="confirm-note")
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button(outside(self.confirm_label, 60), id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)
