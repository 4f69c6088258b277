"""Pick a signal to send, with what huey makes of each."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from console.tui.text import outside

SIGNALS = (
    ("HUP", "graceful restart (huey: finish running tasks, then restart workers)"),
    ("INT", "graceful stop (huey: finish running tasks, then exit)"),
    ("TERM", "stop now (huey: interrupts running tasks)"),
    ("USR1", "user signal 1 (program-defined)"),
    ("USR2", "user signal 2 (program-defined)"),
    ("QUIT", "quit (often: dump core)"),
    ("KILL", "kill at once (cannot be caught)"),
)


class SignalScreen(ModalScreen[str | None]):
    """Dismisses with the chosen signal name, or None."""

    DEFAULT_CSS = """
    SignalScreen { align: center middle; }
    SignalScreen > Vertical {
        width: 80%; max-width: 90; height: auto; border: thick $accent; background: $surface;
    }
    SignalScreen OptionList { height: auto; max-height: 12; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="signal.cancel"),
    ]

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(outside(f"Send a signal to {self.target}", 300, style="bold"))
            yield OptionList(
                *(Option(Text(f"{name:<5} {what}"), id=name) for name, what in SIGNALS)
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
