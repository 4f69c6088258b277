"""A log pane at the time cursor: the first line written at or after that time on top,
found by bisecting the file (console.core.logs.timejump), never by reading it through."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from console.tui.widgets.log_pane_messages import PAGE_LINES, Loaded, guarded_read

if TYPE_CHECKING:
    from console.tui.widgets.log_pane import LogPane

NO_JUMP = "time cursor: this source cannot jump to a time (log files only)"
# A reader that can jump has `read_at(at, n) -> Batch`: files (FileFollower), supervisord's
# read call (RpcTail), several logs merged (MergedReader); the fleet's logs cannot.


class LogPaneTime:
    """Mixed into LogPane: `jump_to(at)` (None: back to the tail, following)."""

    jumped_to: float | None = None  # the time whose lines are shown (for tests and the title)

    def jump_to(self: LogPane, at: float | None) -> None:
        if at is None:
            if self.jumped_to is not None:
                self.jumped_to = None
                self.to_bottom()
            return
        reader = self.reader
        if reader is None:
            return  # the source is still opening: `started` jumps once it is open
        if not hasattr(reader, "read_at"):
            self.note = NO_JUMP
            self.update_title()
            return
        self._hold()
        self._windowed = True
        self.jumped_to = at
        self.update_title()
        self._read_at(self._token, reader, at)

    def to_top(self: LogPane) -> None:
        """Home leaves the cursor's line (the title stops saying so)."""
        self.jumped_to = None
        super().to_top()  # type: ignore[misc]

    def to_bottom(self: LogPane) -> None:
        self.jumped_to = None
        super().to_bottom()  # type: ignore[misc]

    def started(self: LogPane) -> None:
        """A source opened: at a past time, go there at once."""
        at = getattr(self.app, "cursor", None)
        if at is not None:
            self.jump_to(at)

    @work(thread=True, exclusive=True, group="log-page", exit_on_error=False)
    def _read_at(self: LogPane, token: int, reader, at: float) -> None:
        batch = guarded_read(reader.read_at, at, PAGE_LINES)
        # a reader that could not jump says why, and the lines shown stay
        mode = "window" if batch.lines or not batch.note else "note"
        self.post_message(Loaded(token, batch, mode))
