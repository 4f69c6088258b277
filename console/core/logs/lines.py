"""Lines as the log pane receives them: sanitized, capped, and never held whole when huge."""

from __future__ import annotations

from dataclasses import dataclass, field

from console.core.sanitize import clean

# A line longer than this many bytes is cut and shown with "…[+N bytes]".
MAX_LINE_BYTES = 8192


@dataclass(frozen=True)
class LogLine:
    """One line for the pane: sanitized text, or a one-line marker ("rotated", ...)."""

    text: str
    marker: bool = False
    offset: int | None = None  # byte offset of the line's start in its file, when known
    source: int | None = None  # which log, in a merged view (index of its source)


@dataclass(frozen=True)
class Batch:
    """What one read returns: complete lines, the unterminated tail (if any), and a state."""

    lines: tuple[LogLine, ...] = ()
    partial: str | None = None  # the current unterminated line, capped, for display only
    note: str | None = None  # a lasting state such as "(stderr redirected to stdout)"
    end: int | None = None  # byte offset just past the last line read, when known
    start: int | None = None  # byte offset of the first line, when known
    reset: bool = False  # the pane should drop what it shows (e.g. a new window)


def marker(text: str) -> LogLine:
    """A one-line marker the pane shows apart from the log's own lines."""
    return LogLine(f"── {text} ──", marker=True)


def char_boundary(data: bytes) -> bytes:
    """Drop a UTF-8 sequence cut in two at the end (so a cut never adds a U+FFFD)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # a lead byte: keep it only if its sequence is complete
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if back >= need else data[:-back]
    return data


def render(data: bytes, dropped: int = 0, cap: int = MAX_LINE_BYTES) -> str:
    """Raw line bytes (no newline) -> sanitized text, cut at `cap` bytes with a count."""
    if data.endswith(b"\r"):
        data = data[:-1]
    if len(data) > cap:
        dropped += len(data) - cap
        data = char_boundary(data[:cap])
    text = clean(data, max_chars=cap)
    return f"{text}…[+{dropped} bytes]" if dropped else text


@dataclass
class LineSplitter:
    """Splits a byte stream into capped lines, keeping at most `cap` bytes of an open line."""

    cap: int = MAX_LINE_BYTES
    offset: int = 0  # file offset of the next byte fed
    _head: bytearray = field(default_factory=bytearray)
    _dropped: int = 0
    _line_start: int = 0

    def __post_init__(self) -> None:
        self._line_start = self.offset

    def feed(self, data: bytes) -> list[LogLine]:
        """Complete lines in `data` (plus what was pending); the rest stays pending."""
        out: list[LogLine] = []
        pos = 0
        while True:
            nl = data.find(b"\n", pos)
            if nl < 0:
                self._keep(data[pos:])
                break
            self._keep(data[pos:nl])
            out.append(self._emit())
            pos = nl + 1
            self._line_start = self.offset + pos
        self.offset += len(data)
        return out

    def _keep(self, piece: bytes) -> None:
        room = self.cap + 1 - len(self._head)  # one byte over the cap tells render to cut
        if room > 0:
            self._head += piece[:room]
        self._dropped += max(0, len(piece) - max(room, 0))

    def _emit(self) -> LogLine:
        line = LogLine(render(bytes(self._head), self._dropped, self.cap), offset=self._line_start)
        self._head.clear()
        self._dropped = 0
        return line

    @property
    def line_start(self) -> int:
        """File offset where the open (unterminated) line starts."""
        return self._line_start

    @property
    def partial(self) -> str | None:
        """The open line so far, rendered, or None when nothing is pending."""
        if not self._head and not self._dropped:
            return None
        return render(bytes(self._head), self._dropped, self.cap)

    def flush(self) -> list[LogLine]:
        """End of this file: the open line, if any, becomes a line."""
        if not self._head and not self._dropped:
            return []
        return [self._emit()]

    def restart(self, offset: int) -> None:
        """Start over at `offset` (a new file or a new window), dropping what is pending."""
        self._head.clear()
        self._dropped = 0
        self.offset = offset
        self._line_start = offset
