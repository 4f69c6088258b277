"""The one-line header: app name, host, READ-ONLY, and one chip per source (text + colour).

Self-contained: it subscribes to the app's model signal, so any screen can `yield HeaderBar()`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from console.core.sources import SourceState
from console.core.timecursor import label
from console.tui.state.model import DashboardModel
from console.tui.text import outside
from console.tui.widgets.alert_chip import AlertChip


class SourceChip(Static):
    """One source: 'cache', 'db DOWN', 'worker 12 s' with a state-* class for the colour."""

    def __init__(self, state: SourceState) -> None:
        super().__init__(Content(state.short()), classes=f"chip state-{state.status}")
        self.key = state.key
        self._state = state

    def show(self, state: SourceState, tz: object) -> None:
        if state == self._state:
            return
        old, new = self._state.short(), state.short()
        if new != old:
            # Chips are auto-width: only a change of length needs a layout pass.
            self.update(Content(new), layout=len(new) != len(old))
        if state.status != self._state.status:
            self.remove_class(f"state-{self._state.status}")
            self.add_class(f"state-{state.status}")
        self.tooltip = Content(state.describe(tz))  # type: ignore[arg-type]
        self._state = state


class HeaderBar(Horizontal):
    """stackwatch · host · READ-ONLY · sources."""

    def compose(self) -> ComposeResult:
        model: DashboardModel = self.app.model  # type: ignore[attr-defined]
        self._host = model.host
        yield Static(Content("stackwatch"), classes="header-title")
        yield Static(outside(model.host, 255), id="header-host", classes="header-host")
        if self.app.settings.read_only:  # type: ignore[attr-defined]
            yield Static(Content("READ-ONLY"), classes="header-readonly")
        cursor = Static(Content(""), id="header-cursor", classes="header-cursor")
        cursor.display = False
        yield cursor
        for state in model.states:
            yield SourceChip(state)
        if getattr(self.app.feeds, "alerts", None) is not None:  # type: ignore[attr-defined]
            yield AlertChip()

    def on_mount(self) -> None:
        self.app.model_signal.subscribe(self, self.show)  # type: ignore[attr-defined]
        self.app.cursor_signal.subscribe(self, self.show_cursor)  # type: ignore[attr-defined]
        self.app.tick_signal.subscribe(self, lambda _now: self.show_cursor())  # type: ignore[attr-defined]
        self.show_cursor()

    def show_cursor(self, _at: float | None = None) -> None:
        """`AT 03:12 (2h ago)` while the time cursor is in the past; nothing when live."""
        at = self.app.cursor  # type: ignore[attr-defined]
        chip = self.query_one("#header-cursor", Static)
        chip.display = at is not None
        if at is not None:
            text = label(at, self.app.clock(), self.app.tz)  # type: ignore[attr-defined]
            if text != getattr(self, "_cursor_text", None):  # the age moves every few minutes
                self._cursor_text = text
                chip.update(Content(text))

    def show(self, model: DashboardModel) -> None:
        """Update the chips whose state changed, and the host when switched."""
        if model.host != self._host:
            self._host = model.host
            self.query_one("#header-host", Static).update(outside(model.host, 255))
        tz = self.app.tz  # type: ignore[attr-defined]
        chips = {chip.key: chip for chip in self.query(SourceChip)}
        for state in model.states:
            if state.key in chips:
                chips[state.key].show(state, tz)
