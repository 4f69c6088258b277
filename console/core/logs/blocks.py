"""Python tracebacks as one block: a filter that keeps the header keeps the whole traceback.

A block is the `Traceback (most recent call last):` line, the indented frame lines after it,
and the first line that is not indented (the exception: `ValueError: bad value`). It counts
as one match, so the exception line is not counted again.
"""

from __future__ import annotations

import os

HEADER = b"Traceback (most recent call last):"
HEADER_TEXT = HEADER.decode()
MAX_LINES = 300
MAX_BYTES = 256 * 1024

# (offset, first cap+1 bytes, full length) as segment.Found
Line = tuple[int, bytes, int]


def starts_block(line: bytes | bytearray | str) -> bool:
    """Whether a line is a traceback's header."""
    if isinstance(line, str):
        return line.startswith(HEADER_TEXT)
    return line.startswith(HEADER)


def is_frame(line: bytes | str) -> bool:
    """An indented line of a traceback (a frame, or the code it shows)."""
    return line[:1] in (b" ", b"\t", " ", "\t")


def rest_of_block(fd: int, after: int, limit: int, cap: int) -> tuple[list[Line], int]:
    """The lines of a traceback after its header (which ends at `after`), and where it ends.

    Reads at most MAX_BYTES; a longer traceback is cut there.
    """
    data = os.pread(fd, max(0, min(MAX_BYTES, limit - after)), after)
    out: list[Line] = []
    pos = 0
    while pos < len(data) and len(out) < MAX_LINES:
        nl = data.find(b"\n", pos)
        if nl < 0:
            if after + len(data) < limit:
                break  # the block goes on past what we read: stop at a whole line
            nl = len(data)
        line = data[pos:nl]
        out.append((after + pos, line[: cap + 1], nl - pos))
        pos = nl + 1
        if not is_frame(line):
            break  # the exception line ends the block
    return out, after + min(pos, len(data))


class TextBlocks:
    """The same rule for lines arriving one by one (the pane while following)."""

    def __init__(self) -> None:
        self.inside = False

    def continues(self, text: str) -> bool:
        """Whether `text` belongs to the block a kept header opened (call for every line)."""
        if not self.inside:
            return False
        if not is_frame(text):
            self.inside = False  # the exception line: last of the block
        return True

    def opened(self, text: str) -> None:
        """A kept line: if it is a header, the lines after it follow it."""
        self.inside = starts_block(text)


def end_of_block_around(fd: int, pos: int, limit: int, cap: int) -> int:
    """Where a traceback that started before `pos` (a line start) ends; `pos` if none does.

    A scan that starts in the middle of a traceback leaves its lines to the scan that saw the
    header, so the block is counted once.
    """
    if pos == 0:
        return pos
    back = min(MAX_BYTES, pos)
    data = os.pread(fd, back, pos - back)
    end = len(data)  # data[end - 1] is the newline that ends the previous line
    while end > 0:
        start = data.rfind(b"\n", 0, end - 1) + 1
        line = data[start : end - 1]
        if starts_block(line):
            return max(pos, rest_of_block(fd, pos - back + end, limit, cap)[1])
        if not is_frame(line) or start == 0:
            return pos
        end = start
    return pos
