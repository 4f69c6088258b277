"""The logs screen: one or two panes, each following a program's output, a main log or a file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from console.core.logs.search import Query, QueryError, parse_query
from console.core.logs.sources import LogSource, same_program
from console.core.sanitize import clean
from console.tui.failures import record_worker_failure
from console.tui.widgets.header_bar import HeaderBar
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.log_pane import LogPane
from console.tui.widgets.log_source_picker import LogSourcePicker
from console.tui.widgets.log_view import LogView


class LogsScreen(Screen):
    """Follow, search and filter logs; survives rotation and hostile lines."""

    CSS_PATH = "logs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "pick_source", "Source", id="logs.source"),
        Binding("e", "toggle_stream", "stdout/err", id="logs.stream"),
        Binding("v", "toggle_split", "Split", id="logs.split"),
        Binding("p", "toggle_pause", "Pause", id="logs.pause"),
        Binding("slash", "start_input('search')", "Search", id="logs.search"),
        Binding("n", "next_match", "Next", id="logs.next"),
        Binding("N", "previous_match", "Prev", show=False, id="logs.previous"),
        Binding("f", "start_input('filter')", "Filter", id="logs.filter"),
        Binding("E", "preset('errors')", "Errors", id="logs.errors"),
        Binding("W", "preset('warnings')", "Warnings", show=False, id="logs.warnings"),
        Binding("x", "clear_filter", "Clear", show=False, id="logs.clear"),
        Binding("w", "toggle_wrap", "Wrap", id="logs.wrap"),
        Binding("j", "toggle_json", "JSON", show=False, id="logs.json"),
        Binding("g,home", "top", "Top", show=False, id="logs.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="logs.bottom"),
        Binding("b", "page_back", "Page back", show=False, id="logs.page_back"),
        Binding("escape", "cancel_input", "Cancel", show=False, id="logs.cancel"),
    ]

    @dataclass
    class SourcesLoaded(Message):
        sources: list[LogSource]
        problems: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[LogSource] = []
        self.problems: list[str] = []
        self._loaded = False
        self._wanted: tuple[str, str, str] | None = None  # show_program before sources came
        self._input_mode = "search"
        self._active = "pane-1"

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        with Horizontal(id="log-panes"):
            yield LogPane(id="pane-1")
            yield LogPane(id="pane-2", classes="hidden")
        yield Input(id="log-input", classes="hidden", placeholder="text, /regex/, !inverted")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#pane-1 LogView").focus()
        self._host = self.app.model.host  # type: ignore[attr-defined]
        self.app.model_signal.subscribe(self, self._follow_host)  # type: ignore[attr-defined]
        self.app.cursor_signal.subscribe(self, self._follow_cursor)  # type: ignore[attr-defined]
        self._load_sources()

    def _follow_cursor(self, at: float | None) -> None:
        """The time cursor moved: each pane to its first line at or after it (or the tail)."""
        for pane in self.query(LogPane):
            pane.jump_to(at)

    def _follow_host(self, model: Any) -> None:
        """The host chosen in the console changed: list that host's logs."""
        if model.host != self._host:
            self._host = model.host
            self._load_sources()

    # --- sources -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="log-sources", exit_on_error=False)
    def _load_sources(self) -> None:
        sources, problems = self.app.feeds.logs.sources(self.app.model.host)  # type: ignore[attr-defined]
        self.post_message(self.SourcesLoaded(sources, problems))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:  # recorded and announced; the screen goes on
            record_worker_failure(self, "Logs: listing sources", event.worker)

    def on_logs_screen_sources_loaded(self, message: SourcesLoaded) -> None:
        self.sources, self.problems = message.sources, message.problems
        self._loaded = True
        if self._wanted is not None:
            self.show_program(*self._wanted)
        elif self.pane.source is None and self.sources:
            self.pane.show(self.sources[0])

    def show_program(self, endpoint: str, program: str, stream: str = "stdout") -> None:
        """Show a program's stdout or stderr in the active pane (called by the processes screen)."""
        if not self._loaded:
            self._wanted = (endpoint, program, stream)
            return
        self._wanted = None
        for source in self.sources:
            if (
                source.kind == "program"
                and source.endpoint == endpoint
                and same_program(source.program or "", program)
            ):
                self.pane.show(source.with_stream(stream))
                return
        # Not listed (yet): read it through supervisord, which will say if the name is unknown.
        label = f"{endpoint}/{program}"
        self.pane.show(
            LogSource("program", label, endpoint=endpoint, program=program, stream=stream)
        )

    @property
    def pane(self) -> LogPane:
        """The pane that keys act on: the one holding focus, else the first."""
        focused = self.focused
        if isinstance(focused, LogView) and isinstance(focused.parent, LogPane):
            self._active = focused.parent.id or "pane-1"
        return self.query_one(f"#{self._active}", LogPane)

    # --- actions -----------------------------------------------------------------------

    def action_pick_source(self) -> None:
        pane = self.pane
        self._load_sources()

        def chosen(source: LogSource | None) -> None:
            if source is not None:
                pane.show(source)

        self.app.push_screen(LogSourcePicker(self.sources, self.problems), chosen)

    def action_toggle_stream(self) -> None:
        pane = self.pane
        if pane.source is None or pane.source.kind != "program":
            self.notify("only a program has stdout and stderr", markup=False)
            return
        stream = "stdout" if pane.source.stream == "stderr" else "stderr"
        pane.show(pane.source.with_stream(stream))

    def action_toggle_split(self) -> None:
        second = self.query_one("#pane-2", LogPane)
        second.set_class(not second.has_class("hidden"), "hidden")
        if second.has_class("hidden"):
            self._active = "pane-1"
            self.query_one("#pane-1 LogView").focus()
            return
        if second.source is None:
            first = self.query_one("#pane-1", LogPane).source
            if first is not None:  # the other stream of the same program is the usual wish
                other = "stdout" if first.stream == "stderr" else "stderr"
                second.show(first.with_stream(other))
        second.view.focus()

    def action_toggle_pause(self) -> None:
        self.pane.toggle_pause()

    def action_top(self) -> None:
        self.pane.to_top()

    def action_bottom(self) -> None:
        self.pane.to_bottom()

    def action_page_back(self) -> None:
        self.pane.page_back()

    def action_toggle_wrap(self) -> None:
        view = self.pane.view
        view.set_wrap(not view.wrap)
        self.pane.update_title()

    def action_toggle_json(self) -> None:
        view = self.pane.view
        view.set_pretty(not view.pretty)
        self.pane.update_title()

    def action_preset(self, name: str) -> None:
        self.pane.apply_filter(Query.preset(name))

    def action_clear_filter(self) -> None:
        self.pane.apply_filter(None)

    def action_next_match(self) -> None:
        self._jump(forward=True)

    def action_previous_match(self) -> None:
        self._jump(forward=False)

    def _jump(self, forward: bool) -> None:
        view = self.pane.view
        if view.search is None:
            self.notify("search first with /", markup=False)
        elif not view.next_match(forward):
            self.notify("no more matches in the lines held", markup=False)
        else:
            self.pane.paused = True
            self.pane.update_title()

    # --- search / filter input -----------------------------------------------------------

    def action_start_input(self, mode: str) -> None:
        self._active = self.pane.id or "pane-1"
        self._input_mode = mode
        box = self.query_one("#log-input", Input)
        box.border_title = "search" if mode == "search" else "filter"
        current = self.pane.view.filter_query if mode == "filter" else None
        box.value = current.describe() if current is not None else ""  # a preset: to edit
        box.remove_class("hidden")
        box.focus()

    def action_cancel_input(self) -> None:
        """Esc: close the input if open, else stop the pane's running filter scan."""
        box = self.query_one("#log-input", Input)
        if not box.has_class("hidden"):
            box.add_class("hidden")
            self.query_one(f"#{self._active} LogView").focus()
        else:
            self.pane.stop_scan()

    @on(Input.Submitted, "#log-input")
    def _submitted(self, event: Input.Submitted) -> None:
        pane = self.query_one(f"#{self._active}", LogPane)
        try:
            query = parse_query(event.value)
        except QueryError as exc:
            self.notify(clean(str(exc), 200), severity="warning", markup=False)
            return
        self.action_cancel_input()
        if self._input_mode == "filter":
            pane.apply_filter(query)
            return
        pane.view.set_search(Query(query.text, regex=query.regex).for_text())
        pane.view.current = len(pane.view.rows)  # the first match is the newest one
        self._jump(forward=False)
