"""A modal list of log sources; dismisses with the chosen LogSource (or None).

`space` marks several: they are then read as one, merged by time. Ready-made merged views
(a group's programs, a program's stdout + stderr) are offered at the end of the list.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from console.core.logs.sources import LogSource, merge_suggestions, merged_source
from console.core.sanitize import clean


class LogSourcePicker(ModalScreen[LogSource | None]):
    """Pick what a pane shows: a program's output, a main log, a file, or several as one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="logs.picker.cancel"),
        Binding("space", "mark", "Mark (several as one)", id="logs.picker.mark"),
    ]

    def __init__(self, sources: list[LogSource], problems: list[str]) -> None:
        super().__init__()
        self.sources = sources + merge_suggestions(sources)
        self.singles = len(sources)
        self.problems = problems
        self.marked: list[int] = []

    def _prompt(self, index: int) -> Content:
        source = self.sources[index]
        name = clean(source.label if source.kind != "merged" else source.title, 200)
        if index >= self.singles:
            return Content(f"    {name}  (merged)")
        return Content(f"[{'x' if index in self.marked else ' '}] {name}")

    def compose(self) -> ComposeResult:
        options = [Option(self._prompt(i), id=str(i)) for i in range(len(self.sources))]
        options += [Option(Content(clean(p, 200)), disabled=True) for p in self.problems]
        if not options:
            options = [
                Option(Content("no sources: configure supervisors or log files"), disabled=True)
            ]
        with Vertical(id="log-picker"):
            yield Static(
                Content("Show which log? (space marks several: read as one, by time)"),
                classes="log-picker-title",
            )
            yield OptionList(*options)

    def action_mark(self) -> None:
        """Mark or unmark the highlighted log for a merged view."""
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or index >= self.singles:
            return
        if index in self.marked:
            self.marked.remove(index)
        else:
            self.marked.append(index)
        options.replace_option_prompt_at_index(index, self._prompt(index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        chosen = int(event.option.id)
        marked = list(self.marked)
        if chosen < self.singles and marked and chosen not in marked:
            marked.append(chosen)
        if len(marked) >= 2:
            self.dismiss(merged_source([self.sources[i] for i in marked]))
        else:
            self.dismiss(self.sources[chosen])
