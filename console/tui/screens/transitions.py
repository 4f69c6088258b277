"""A program's recent transitions (Enter or `t` on the Processes screen), refreshed each second.

The caller hands over `load`, a blocking function returning `Transitions`; it runs in a
thread worker, never on the event loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from console.core.events.timeline import Transitions
from console.tui.widgets.transition_table import TransitionTable

REFRESH_S = 1.0


class TransitionsLoaded(Message):
    def __init__(self, transitions: Transitions) -> None:
        super().__init__()
        self.transitions = transitions

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TransitionsLoaded)


class TransitionsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TransitionsScreen { align: center middle; }
    TransitionsScreen > Vertical {
        width: 95%; height: 90%; border: thick $accent; background: $surface;
    }
    TransitionsScreen #transitions-note { color: $text-muted; }
    TransitionsScreen #transitions-errors { color: $error; }
    TransitionTable > .transition-table--running { color: $success; }
    TransitionTable > .transition-table--transition { color: $warning; }
    TransitionTable > .transition-table--stopped { color: $text-muted; }
    TransitionTable > .transition-table--failed { color: $error; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,t", "close", "Close", id="transitions.close"),
    ]

    def __init__(self, title: str, note: str, load: Callable[[], Transitions]) -> None:
        super().__init__()
        self.title_text = title
        self.note = note
        self.load = load
        self.transitions: Transitions | None = None
        self._loading = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"), id="transitions-title")
            yield Static(Text(self.note), id="transitions-note")
            yield Static(Text(""), id="transitions-errors")
            yield TransitionTable(id="transitions-table")

    def on_mount(self) -> None:
        self.query_one(TransitionTable).focus()
        self.refresh_now()
        self.set_interval(REFRESH_S, self.refresh_now)

    def refresh_now(self) -> None:
        if not self._loading:
            self._loading = True
            self._load()

    @work(thread=True, exclusive=True, group="transitions-load")
    def _load(self) -> None:
        self.post_message(TransitionsLoaded(self.load()))

    def on_transitions_loaded(self, message: TransitionsLoaded) -> None:
        self._loading = False
        self.show(message.transitions)

    def show(self, transitions: Transitions, now: float | None = None) -> None:
        """Render (public so tests can hand fixed data)."""
        self.transitions = transitions
        now = time.time() if now is None else now
        self.query_one(TransitionTable).show(transitions.events, now)
        errors = "; ".join(transitions.errors)
        if not transitions.events and not errors:
            errors = "no transitions recorded yet"
        self.query_one("#transitions-errors", Static).update(Text(errors))

    def action_close(self) -> None:
        self.dismiss(None)
