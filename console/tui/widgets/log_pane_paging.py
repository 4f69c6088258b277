"""Moving a log pane away from the tail: to the top of the file, page by page, and back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from console.tui.widgets.log_pane_messages import PAGE_LINES, Loaded, guarded_read

if TYPE_CHECKING:
    from console.tui.widgets.log_pane import LogPane


class LogPanePaging:
    """Mixed into LogPane: the keys that leave the tail (Home, PgUp) and the one back (End)."""

    _windowed = False  # showing a window away from the end (top of file, paged back)

    def to_bottom(self: LogPane) -> None:
        """Back to the end of the log, following again."""
        self.paused = False
        self.view.following = True
        if self.source is not None and self.view.top_offset is not None and self._windowed:
            self._windowed = False
            self.show(self.source)
            return
        self.view.anchor()
        self.update_title()

    def to_top(self: LogPane) -> None:
        """The first lines of the file (files only), paused; else the top of what is held."""
        self._hold()
        reader = self.reader
        if reader is not None and hasattr(reader, "read_after"):
            self._windowed = True
            self._read_window(self._token, reader)
        self.view.scroll_home(animate=False)
        self.update_title()

    def page_back(self: LogPane) -> None:
        """Older lines above the first one held (files only)."""
        reader = self.reader
        offset = self.view.top_offset
        self._hold()
        if reader is None or not hasattr(reader, "read_before") or not offset:
            self.view.scroll_page_up(animate=False)
        elif self.view.scroll_y > 0:
            self.view.scroll_page_up(animate=False)
        else:
            self._windowed = True
            self._read_before(self._token, reader, offset)
        self.update_title()

    def _hold(self: LogPane) -> None:
        """Stop following, so new lines do not pull the view back to the end."""
        self.paused = True
        self.view.following = False
        self.view.anchor(False)

    @work(thread=True, exclusive=True, group="log-page", exit_on_error=False)
    def _read_window(self: LogPane, token: int, reader) -> None:
        self.post_message(Loaded(token, guarded_read(reader.read_after, 0, PAGE_LINES), "window"))

    @work(thread=True, exclusive=True, group="log-page", exit_on_error=False)
    def _read_before(self: LogPane, token: int, reader, offset: int) -> None:
        batch = guarded_read(reader.read_before, offset, PAGE_LINES)
        self.post_message(Loaded(token, batch, "before"))
