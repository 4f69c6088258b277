"""One log pane: a title bar and a LogView fed by a reader polled in a thread worker."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult, ScreenStackError
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from console.core.logs.lines import Batch, LogLine, marker
from console.core.logs.scan import Progress
from console.core.logs.search import Query
from console.core.logs.sources import LogReader, LogSource
from console.core.sanitize import clean
from console.tui.failures import record_worker_failure
from console.tui.widgets.log_scan import ScanStatus
from console.tui.widgets.log_view import LogView

INITIAL_LINES = 500
PAGE_LINES = 500


def _guarded(call, *args) -> Batch:
    """Run a reader call; an unexpected I/O error becomes a marker line, not a crash."""
    try:
        return call(*args)
    except OSError as exc:
        return Batch((marker(f"read error: {clean(exc.strerror or str(exc), 200)}"),))


class LogPane(Vertical):
    """Shows one source; follows it until paused; pages back through files."""

    @dataclass
    class Loaded(Message):
        """A batch read by a worker for the pane's current source."""

        token: int
        batch: Batch
        mode: str  # "start", "poll", "before", "window"
        reader: LogReader | None = None

    @dataclass
    class Scanned(Message):
        """One step of a whole-file filter: older kept lines, and the progress so far."""

        scan: int
        lines: tuple[LogLine, ...]
        progress: Progress | None
        first: bool
        last: bool = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source: LogSource | None = None
        self.reader: LogReader | None = None
        self.paused = False
        self._token = 0  # bumped per source, so batches of a previous source are dropped
        self._scan = 0  # bumped per filter scan, so steps of a previous scan are dropped
        self._busy = False

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
            self.Loaded(token, _guarded(reader.start, INITIAL_LINES), "start", reader)
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
        self.post_message(self.Loaded(token, _guarded(reader.poll), "poll"))

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
        batch = message.batch
        if message.mode == "before":
            self.view.prepend(batch.lines)
        elif message.mode in ("start", "window", "filtered") or batch.reset:
            self._filtered_window = message.mode == "filtered"
            self.view.set_lines(batch.lines, batch.partial)
        else:
            self.view.append(batch.lines, batch.partial)
        if batch.note:
            self.note = batch.note
        self.update_title()

    note: str | None = None

    # --- actions the screen forwards -------------------------------------------------

    def toggle_pause(self) -> None:
        self.paused = not self.paused
        self.view.following = not self.paused
        self.view.anchor(not self.paused)
        self.update_title()

    def to_bottom(self) -> None:
        """Back to the end of the log, following again."""
        self.paused = False
        self.view.following = True
        if self.source is not None and self.view.top_offset is not None and self._windowed:
            self._windowed = False
            self.show(self.source)
            return
        self.view.anchor()
        self.update_title()

    _windowed = False  # showing a window away from the end (top of file, paged back)

    def to_top(self) -> None:
        """The first lines of the file (files only), paused; else the top of what is held."""
        self.paused = True
        self.view.following = False
        self.view.anchor(False)
        reader = self.reader
        if reader is not None and hasattr(reader, "read_after"):
            self._windowed = True
            self._read_window(self._token, reader)
        self.view.scroll_home(animate=False)
        self.update_title()

    @work(thread=True, exclusive=True, group="log-page", exit_on_error=False)
    def _read_window(self, token: int, reader) -> None:
        self.post_message(self.Loaded(token, _guarded(reader.read_after, 0, PAGE_LINES), "window"))

    def apply_filter(self, query: Query | None) -> None:
        """Show only the lines the query keeps; for a file, the last matches of the whole file
        (newest first on screen at once, then older ones as the scan goes back)."""
        self.stop_scan()
        self._scan += 1
        self.view.set_filter(query)
        reader = self.reader
        if query is not None and reader is not None and hasattr(reader, "filtered"):
            self.status.begin(query.engine_note)
            self._filter_file(self._scan, reader, query)
        elif query is None and self._filtered_window and self.source is not None:
            self._filtered_window = False
            self.status.clear()
            self.show(self.source)
        else:
            self.status.clear()
        self.update_title()

    _filtered_window = False

    def stop_scan(self) -> bool:
        """Stop a running whole-file filter (Esc); what it found so far stays. True if one ran."""
        if not self.status.running:
            return False
        self.workers.cancel_group(self, "log-scan")
        self.status.stop()
        return True

    @work(thread=True, exclusive=True, group="log-scan", exit_on_error=False)
    def _filter_file(self, scan: int, reader, query: Query) -> None:
        worker = get_current_worker()
        first = True
        try:
            for lines, progress in reader.filtered(query, PAGE_LINES, lambda: worker.is_cancelled):
                self.post_message(self.Scanned(scan, lines, progress, first))
                first = False
        except OSError as exc:
            why = marker(f"read error: {clean(exc.strerror or str(exc), 200)}")
            self.post_message(self.Scanned(scan, (why,), None, first))
            first = False
        self.post_message(self.Scanned(scan, (), None, first, last=True))

    def on_log_pane_scanned(self, message: Scanned) -> None:
        message.stop()
        if message.scan != self._scan:
            return
        if message.first:
            self._filtered_window = True
            self.view.set_lines(message.lines, None)
        elif message.lines:
            self.view.prepend(message.lines)
        if message.progress is not None:
            self.status.advance(message.progress)
        if message.last:
            self.status.finish()

    def page_back(self) -> None:
        """Older lines above the first one held (files only)."""
        reader = self.reader
        offset = self.view.top_offset
        self.paused = True
        self.view.following = False
        self.view.anchor(False)
        if reader is None or not hasattr(reader, "read_before") or not offset:
            self.view.scroll_page_up(animate=False)
        elif self.view.scroll_y > 0:
            self.view.scroll_page_up(animate=False)
        else:
            self._windowed = True
            self._read_before(self._token, reader, offset)
        self.update_title()

    @work(thread=True, exclusive=True, group="log-page", exit_on_error=False)
    def _read_before(self, token: int, reader, offset: int) -> None:
        batch = _guarded(reader.read_before, offset, PAGE_LINES)
        self.post_message(self.Loaded(token, batch, "before"))

    # --- title -----------------------------------------------------------------------

    def update_title(self) -> None:
        if self.source is None:
            text = "no source: press s to pick one"
        else:
            parts = [self.source.title, "paused" if self.paused else "following"]
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
        self.query_one(".log-title", Static).update(Content(clean(text, 300)))
