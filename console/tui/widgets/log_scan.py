"""The status line under a log pane while a whole-file filter runs: progress, then the outcome."""

from __future__ import annotations

import time

from textual.content import Content
from textual.widgets import Static

from console.core.logs.scan import Progress
from console.core.sanitize import clean

SHOW_AFTER = 0.2  # a scan quicker than this shows no progress at all


class ScanStatus(Static):
    """Hidden unless a scan runs longer than SHOW_AFTER, was stopped, or needs a remark."""

    def __init__(self) -> None:
        super().__init__(Content(""), classes="log-status")
        self.display = False
        self.running = False
        self.stopped = False
        self.progress: Progress | None = None
        self.note: str | None = None
        self._started = 0.0

    def begin(self, note: str | None) -> None:
        """A new scan (the pane's filter changed)."""
        self.running, self.stopped, self.progress, self.note = True, False, None, note
        self._started = time.monotonic()
        self.show_state()

    def advance(self, progress: Progress) -> None:
        self.progress = progress
        if progress.done or progress.error:
            self.running = False
        self.show_state()

    def finish(self) -> None:
        """The scan's worker ended (all read, or enough lines found)."""
        self.running = False
        self.show_state()

    def stop(self) -> None:
        """Stopped by the user (Esc)."""
        if self.running:
            self.running, self.stopped = False, True
            self.show_state()

    def clear(self) -> None:
        self.running = self.stopped = False
        self.progress, self.note = None, None
        self.show_state()

    @property
    def text(self) -> str:
        took_long = time.monotonic() - self._started >= SHOW_AFTER
        parts: list[str] = []
        if self.running and took_long:
            parts.append(self.progress.describe() if self.progress else "scanning…")
            parts.append("esc stops")
        elif self.stopped:
            parts.append("stopped" + (f": {self.progress.describe()}" if self.progress else ""))
        elif self.progress is not None and self.progress.error:
            parts.append(f"scan failed: {self.progress.error}")
        elif self.progress is not None and took_long:
            parts.append(f"done: {self.progress.describe()}")
        if self.note and (parts or self.running or self.progress is not None):
            parts.append(self.note)
        return " · ".join(parts)

    def show_state(self) -> None:
        text = self.text
        self.display = bool(text)
        self.update(Content(clean(text, 300)))
