"""What a log pane's thread workers hand back: a read batch, or one step of a filter scan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from console.core.logs.lines import Batch, LogLine, marker
from console.core.logs.scan import Progress
from console.core.logs.sources import LogReader
from console.core.sanitize import clean

INITIAL_LINES = 500
PAGE_LINES = 500


def guarded_read(call: Callable[..., Batch], *args) -> Batch:
    """Run a reader call; an unexpected I/O error becomes a marker line, not a crash."""
    try:
        return call(*args)
    except OSError as exc:
        return Batch((read_error(exc),))


def read_error(exc: OSError) -> LogLine:
    """The marker line that stands for a failed read."""
    return marker(f"read error: {clean(exc.strerror or str(exc), 200)}")


@dataclass
class Loaded(Message, namespace="log_pane"):
    """A batch read by a worker for the pane's current source."""

    token: int
    batch: Batch
    mode: str  # "start", "poll", "before", "window"
    reader: LogReader | None = None


@dataclass
class Scanned(Message, namespace="log_pane"):
    """One step of a whole-file filter: older kept lines, and the progress so far."""

    scan: int
    lines: tuple[LogLine, ...]
    progress: Progress | None
    first: bool
    last: bool = False
