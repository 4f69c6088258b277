"""The silence dialog: how long and why; dismisses (seconds, reason), or None on Escape."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from console.core.alerts.rules import duration
from console.tui.text import outside


class SilenceScreen(ModalScreen[tuple[float, str] | None]):
    DEFAULT_CSS = """
    SilenceScreen { align: center middle; }
    SilenceScreen > Vertical {
        width: 90%; max-width: 80; height: auto;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    SilenceScreen #silence-error { color: $error; height: auto; }
    SilenceScreen #silence-buttons { height: auto; align-horizontal: right; }
    SilenceScreen Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="silence.cancel"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Silence ").append_text(outside(self.what, 200)), markup=False)
            yield Input("1h", placeholder="for how long: 30m, 2h, 1d", id="silence-for")
            yield Input(placeholder="why (required; shown and audited)", id="silence-reason")
            yield Static("", id="silence-error", markup=False)
            with Horizontal(id="silence-buttons"):
                yield Button("Cancel", id="silence-cancel")
                yield Button("Silence", variant="warning", id="silence-ok")

    def on_mount(self) -> None:
        self.query_one("#silence-reason", Input).focus()

    @on(Button.Pressed, "#silence-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#silence-ok")
    def _submit(self) -> None:
        error = self.query_one("#silence-error", Static)
        try:
            seconds = duration(self.query_one("#silence-for", Input).value)
        except ValueError as exc:
            error.update(Text(f"for: {exc}"))
            return
        reason = self.query_one("#silence-reason", Input).value.strip()
        if seconds <= 0 or not reason:
            error.update(Text("give a duration above zero and a reason"))
            return
        self.dismiss((seconds, reason))
