"""A log pane's whole-file filter: a scan in a thread worker, shown as it goes, stopped by Esc."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from console.core.logs.search import Query
from console.tui.widgets.log_pane_messages import PAGE_LINES, Scanned, read_error

if TYPE_CHECKING:
    from console.tui.widgets.log_pane import LogPane


class LogPaneFilter:
    """Mixed into LogPane: apply or clear a filter; for a file, scan it all from the end."""

    _scan = 0  # bumped per filter scan, so steps of a previous scan are dropped
    _filtered_window = False  # the view holds a scan's matches, not the tail

    def apply_filter(self: LogPane, query: Query | None) -> None:
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

    def stop_scan(self: LogPane) -> bool:
        """Stop a running whole-file filter (Esc); what it found so far stays. True if one ran."""
        if not self.status.running:
            return False
        self.workers.cancel_group(self, "log-scan")
        self.status.stop()
        return True

    @work(thread=True, exclusive=True, group="log-scan", exit_on_error=False)
    def _filter_file(self: LogPane, scan: int, reader, query: Query) -> None:
        worker = get_current_worker()
        first = True
        try:
            for lines, progress in reader.filtered(query, PAGE_LINES, lambda: worker.is_cancelled):
                self.post_message(Scanned(scan, lines, progress, first))
                first = False
        except OSError as exc:
            self.post_message(Scanned(scan, (read_error(exc),), None, first))
            first = False
        self.post_message(Scanned(scan, (), None, first, last=True))

    def on_log_pane_scanned(self: LogPane, message: Scanned) -> None:
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
