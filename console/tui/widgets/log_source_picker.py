"""A modal list of log sources; dismisses with the chosen LogSource (or None)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from console.core.logs.sources import LogSource
from console.core.sanitize import clean


class LogSourcePicker(ModalScreen[LogSource | None]):
    """Pick what a pane shows: a program's output, a supervisord's main log, or a file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="logs.picker.cancel"),
    ]

    def __init__(self, sources: list[LogSource], problems: list[str]) -> None:
        super().__init__()
        self.sources = sources
        self.problems = problems

    def compose(self) -> ComposeResult:
        options = [
            Option(Content(clean(s.label, 200)), id=str(i)) for i, s in enumerate(self.sources)
        ]
        options += [Option(Content(clean(p, 200)), disabled=True) for p in self.problems]
        if not options:
            options = [
                Option(Content("no sources: configure supervisors or log files"), disabled=True)
            ]
        with Vertical(id="log-picker"):
            yield Static(Content("Show which log?"), classes="log-picker-title")
            yield OptionList(*options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.sources[int(event.option.id)])
