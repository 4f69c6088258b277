"""Offset-anchored windows of a log file: the last N lines, N lines before or after an offset.

Nothing here reads a file whole: the end is found by reading backwards in blocks, so the last
screen of a multi-GB file costs a few small reads (toolong's approach, without an index).
"""

from __future__ import annotations

import os

from console.core.logs.lines import MAX_LINE_BYTES, Batch, LineSplitter

BLOCK = 64 * 1024


def _scan_back(fd: int, end: int, n: int, cap: int) -> tuple[int, bytes]:
    """Find the start of the n-th line before `end`; returns (start, bytes start..end)."""
    limit = n * (cap + 1) + BLOCK  # never look back further than n capped lines need
    chunks: list[bytes] = []
    pos = end
    found = 0
    # A newline just before `end` ends the last line; it does not start a new one.
    stop = end - 1
    while pos > 0 and end - pos < limit:
        size = min(BLOCK, pos)
        pos -= size
        block = os.pread(fd, size, pos)
        chunks.append(block)
        hi = min(len(block), stop - pos)
        while hi > 0:
            nl = block.rfind(b"\n", 0, hi)
            if nl < 0:
                break
            found += 1
            if found == n:
                data = b"".join(reversed(chunks))
                cut = pos + nl + 1
                return cut, data[cut - pos :]
            hi = nl
    data = b"".join(reversed(chunks))
    if pos > 0:  # gave up looking back: start at the first whole line we hold
        nl = data.find(b"\n")
        if 0 <= nl < len(data) - 1:
            return pos + nl + 1, data[nl + 1 :]
    return pos, data


def read_before(fd: int, end: int, n: int, cap: int = MAX_LINE_BYTES) -> Batch:
    """The n lines that end at byte `end` (a line start, or the file size)."""
    if n <= 0 or end <= 0:
        return Batch(start=end, end=end)
    if os.pread(fd, 1, end - 1) != b"\n":
        n += 1  # the unterminated tail is shown apart, as `partial`: it is not one of the n
    start, data = _scan_back(fd, end, n, cap)
    splitter = LineSplitter(cap=cap, offset=start)
    lines = splitter.feed(data)
    # `end` is just past the last complete line: a follower re-reads the partial one itself.
    return Batch(lines=tuple(lines), partial=splitter.partial, start=start, end=splitter.line_start)


def read_last(fd: int, n: int, cap: int = MAX_LINE_BYTES) -> Batch:
    """The last n lines of the open file, plus its unterminated tail as `partial`."""
    return read_before(fd, os.fstat(fd).st_size, n, cap)


def read_after(fd: int, start: int, n: int, cap: int = MAX_LINE_BYTES) -> Batch:
    """Up to n complete lines from byte `start` on; memory stays bounded for huge lines."""
    splitter = LineSplitter(cap=cap, offset=start)
    lines = []
    pos = start
    while len(lines) < n:
        block = os.pread(fd, BLOCK, pos)
        if not block:
            break
        lines.extend(splitter.feed(block))
        pos += len(block)
    # Lines past n are read again by the next call, from the offset of the first one kept out.
    extra = lines[n:]
    lines = lines[:n]
    end = extra[0].offset if extra else splitter.line_start
    partial = None if extra else splitter.partial
    return Batch(lines=tuple(lines), partial=partial, start=start, end=end)
