"""One log pane: a title bar and a LogView fed by a reader polled in a thread worker."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult, ScreenStackError
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from console.core.logs.lines import Batch
from console.core.logs.sources import LogReader, LogSource
from console.core.sanitize import clean
from console.tui.failures import record_worker_failure
from console.tui.widgets.log_pane_filter import LogPaneFilter
from console.tui.widgets.log_pane_messages import INITIAL_LINES, Loaded, Scanned, guarded_read
from console.tui.widgets.log_pane_paging import LogPanePaging
from console.tui.widgets.log_pane_time import LogPaneTime
from console.tui.widgets.log_scan import ScanStatus
from console.tui.widgets.log_view import LogView


class LogPane(LogPaneFilter, LogPaneTime, LogPanePaging, Vertical):
    """Shows one source; follows it until paused; pages back through files."""

    Loaded = Loaded
    Scanned = Scanned

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source: LogSource | None = None
        self.reader: LogReader | None = None
        self.paused = False
        self._token = 0  # bumped per source, so batches of a previous source are dropped
        self._busy = False
        self._title = "no source: press s to pick one"

    def compose(self) -> ComposeResult:
        yield Static(Content("no source: press s to pick one"), classes="log-title")
        yield LogView()
        yield ScanStatus()

    @property
    def status(self) -> ScanStatus:
        return self.query_one(ScanStatus)

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    def on_mount(self) -> None:
        interval = getattr(self.app, "settings", None)
        self.set_interval(interval.refresh_logs if interval else 0.5, self._tick)

    # --- source ----------------------------------------------------------------------

    def show(self, source: LogSource) -> None:
        """Switch this pane to a source and start following it."""
        self.source = source
        self._token += 1
        self.stop_scan()
        self.status.clear()
        self._close_reader()
        self.paused = False
        self.view.following = True
        self.view.set_tags([part.short for part in source.parts])
        self.view.set_lines((), None)
        self.update_title()
        self._start(self._token, source)

    @work(thread=True, exclusive=True, group="log-start", exit_on_error=False)
    def _start(self, token: int, source: LogSource) -> None:
        try:
            reader = self.app.feeds.logs.open(source)  # type: ignore[attr-defined]
        except LookupError as exc:
            self.post_message(self.Loaded(token, Batch(note=clean(str(exc))), "start"))
            return
        self.post_message(
            self.Loaded(token, guarded_read(reader.start, INITIAL_LINES), "start", reader)
        )

    def _tick(self) -> None:
        if self.status.running:
            self.status.show_state()  # progress shows once the scan has run SHOW_AFTER
        if self.reader is None or self.paused or self._busy or not self._on_top():
            return  # polls never overlap, and stop while a modal is open
        self._busy = True
        self._poll(self._token, self.reader)

    def _on_top(self) -> bool:
        try:
            return self.app.screen is self.screen
        except ScreenStackError:  # between modes, or the app is closing
            return False

    @work(thread=True, exclusive=True, group="log-poll", exit_on_error=False)
    def _poll(self, token: int, reader: LogReader) -> None:
        self.post_message(self.Loaded(token, guarded_read(reader.poll), "poll"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A read that raised: recorded and announced; the pane goes on polling."""
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "log-poll":
            self._busy = False
        record_worker_failure(self, "Logs: reading", event.worker)

    def _close_reader(self) -> None:
        close = getattr(self.reader, "close", None)
        if close is not None:
            close()
        self.reader = None

    def on_unmount(self) -> None:
        self._close_reader()

    def on_log_pane_loaded(self, message: Loaded) -> None:
        message.stop()
        if message.mode == "poll":
            self._busy = False
        if message.token != self._token:
            close = getattr(message.reader, "close", None)
            if close is not None:
                close()
            return
        if message.reader is not None:
            self.reader = message.reader
            self.started()  # at the time cursor: jump there
        batch = message.batch
        if message.mode == "before":
            self.view.prepend(batch.lines)
        elif message.mode in ("start", "window", "filtered") or batch.reset:
            self._filtered_window = message.mode == "filtered"
            self.view.set_lines(batch.lines, batch.partial)
            if message.mode == "window":  # the top of the file, or the time cursor's line
                self.view.scroll_home(animate=False)
        else:
            self.view.append(batch.lines, batch.partial)
        if batch.note:
            self.note = batch.note
        self.update_title()

    note: str | None = None

    # --- actions the screen forwards (paging and filtering live in their mixins) -----

    def toggle_pause(self) -> None:
        self.paused = not self.paused
        self.view.following = not self.paused
        self.view.anchor(not self.paused)
        self.update_title()

    # --- title -----------------------------------------------------------------------

    def update_title(self) -> None:
        if self.source is None:
            text = "no source: press s to pick one"
        else:
            state = "paused" if self.paused else "following"
            if self.jumped_to is not None and self.paused:
                state = "at the time cursor"  # the first line written at or after it, on top
            parts = [self.source.title, state]
            query = self.view.filter_query
            if query is not None:
                parts.append(f"filter: {query.preset_name or query.describe()}")
            if self.view.wrap:
                parts.append("wrap")
            if self.view.pretty:
                parts.append("json")
            note = self.source.note or self.note
            if note:
                parts.append(note)
            text = " · ".join(parts)
        text = clean(text, 300)
        if text != self._title:  # an unchanged title costs no layout pass on every poll
            self._title = text
            self.query_one(".log-title", Static).update(Content(text))
