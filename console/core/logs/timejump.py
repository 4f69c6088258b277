"""Find the first line of a log written at or after a time, by bisecting the file on byte
offsets: a 1 GiB log costs a few dozen small reads, never a read from the start.

A log is in time order (apart from small jitter). Lines without a timestamp (a traceback, a
continued message) belong to the stamped line before them, so the answer is always a
stamped line, or the end of the file when every line is older. A line longer than a read
block is looked at by its first bytes and skipped over, not held. A region of more than
SCAN_CAP bytes without any stamped line cannot be placed; the search then leans earlier
(the operator sees a little more context, never less).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import tzinfo

from console.core.logs.stamps import HEAD, line_time

BLOCK = 16384  # one read while probing: most logs have a stamped line within a few KiB
WINDOW = 65536  # below this the search reads forward instead of halving again
SCAN_CAP = 1 << 20  # bytes read from one probe before it gives up looking for a stamp
Read = Callable[[int, int], bytes]  # (position, length) -> the bytes there (fewer at the end)


def first_at(
    fd: int,
    at: float,
    end: int | None = None,
    tz: tzinfo | None = None,
    ref: float | None = None,
) -> int:
    """Byte offset of the first stamped line written at or after `at` (`end` when none).

    `end`: where the file ends (its size now, by default); `tz`: the zone of stamps that
    carry none (the host's local time by default); `ref`: "now" for syslog's yearless stamps
    (the file's modification time by default).
    """
    stat = os.fstat(fd)
    end = stat.st_size if end is None else end
    ref = stat.st_mtime if ref is None else ref
    return first_in(lambda pos, size: os.pread(fd, size, pos), end, at, tz, ref)


def first_in(read: Read, end: int, at: float, tz: tzinfo | None, ref: float) -> int:
    """`first_at` over any reader of byte ranges (a file, or supervisord's read call)."""
    lo, hi, answer = 0, end, end  # lo: a line start before the answer; answer: a line start
    while hi - lo > WINDOW:
        mid = (lo + hi) // 2
        found = _first_stamped(read, mid, hi, tz, ref)
        if found is None:  # nothing stamped in [mid, hi): the answer is before mid, or `answer`
            hi = mid
            continue
        offset, stamp = found
        if stamp >= at:
            hi = answer = offset
        else:
            lo = offset
    for offset, head in lines(read, lo, answer, SCAN_CAP * 4):
        stamp = line_time(head, tz, ref)
        if stamp is not None and stamp >= at:
            return offset
    return answer


def _first_stamped(
    read: Read, pos: int, stop: int, tz: tzinfo | None, ref: float
) -> tuple[int, float] | None:
    """The first stamped line starting in [pos, stop): (its offset, its time)."""
    for offset, head in lines(read, pos, stop, SCAN_CAP):
        stamp = line_time(head, tz, ref)
        if stamp is not None:
            return offset, stamp
    return None


def lines(read: Read, pos: int, stop: int, budget: int) -> Iterator[tuple[int, bytes]]:
    """(offset, first bytes) of each line starting in [pos, stop), reading at most `budget`
    bytes; `pos` inside a line starts at the next one. The last line may lack its newline."""
    start = _line_start(read, pos, budget)
    if start is None:
        return
    pos, done = start, 0
    while pos < stop and done < budget:
        block = read(pos, BLOCK)
        if not block:
            return
        done += len(block)
        at = 0
        while (nl := block.find(b"\n", at)) >= 0:
            yield pos + at, block[at : min(nl, at + HEAD)]
            at = nl + 1
            if pos + at >= stop:
                return
        if len(block) < BLOCK:  # the end of the file: a last line without its newline
            if at < len(block):
                yield pos + at, block[at : at + HEAD]
            return
        if at == 0:  # one line longer than a block: its head, then skip to its end
            yield pos, block[:HEAD]
            after = _line_start(read, pos + len(block), budget - done)
            if after is None:
                return
            done += after - pos - len(block)
            pos = after
        else:
            pos += at  # re-read the cut line from its start


def _line_start(read: Read, pos: int, budget: int) -> int | None:
    """The first line start at or after `pos`, reading at most `budget` bytes; None if none."""
    if pos <= 0:
        return 0
    done = 0
    scan = pos - 1  # a newline just before pos makes pos itself a line start
    while done < budget:
        block = read(scan, BLOCK)
        if not block:
            return None
        nl = block.find(b"\n")
        if nl >= 0:
            return scan + nl + 1
        done += len(block)
        scan += len(block)
    return None
