"""Finding the lines of a block that hold literal needles, at memchr speed where it can.

Used by the matcher (matcher.py) as its pre-filter: memchr on a needle's rarest byte, else a
substring search; counting lines that hold common needles is done in C (split and count).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from itertools import repeat

from console.core.logs.literals import Needles

_NL = b"\n"

SAMPLE_BYTES = 64 * 1024
# memchr on a byte is ~6x faster than a substring search, but each hit costs a check in
# Python: worth it while the byte is rarer than this.
RARE = 1 / 2048
MAX_NEEDLES = 6  # more needles: one pass of RE2's DFA beats a pass per needle


class Block:
    """One block being searched for needles, with its lower-cased copy made at most once."""

    def __init__(self, data: bytes | bytearray, end: int) -> None:
        self.data = data
        self.end = end
        self._lowered: bytes | bytearray | None = None

    @property
    def lowered(self) -> bytes | bytearray:
        if self._lowered is None:
            self._lowered = self.data[: self.end].lower()
        return self._lowered


@dataclass(frozen=True)
class Way:
    """How to look for one needle: memchr on a rare byte, or a substring search for `run`."""

    needle: bytes
    icase: bool
    byte_at: int | None  # offset of the rare byte, when there is one
    run_at: int = 0
    run: bytes = b""  # what to `find` (the needle, or its longest run without case)


def way_for(needle: bytes, icase: bool, sample: bytes | bytearray) -> Way:
    """Decide once (from a sample of the file) how to look for a needle."""

    def frequency(i: int) -> float:
        one = needle[i : i + 1]
        hits = sample.count(one) + (sample.count(one.swapcase()) if icase else 0)
        return hits / max(len(sample), 1)

    offset = min(range(len(needle)), key=frequency)
    if frequency(offset) <= RARE:
        return Way(needle, icase, offset)
    if not icase:
        return Way(needle, icase, None, 0, needle)
    start, run = _caseless_run(needle)
    if len(run) >= 3:  # " 12345 " of "job 12345 ": found as is, the rest checked
        return Way(needle, icase, None, start, run)
    return Way(needle, icase, None, 0, b"")  # search the lower-cased block


def lines_with(block: Block, way: Way, lines: dict[int, int]) -> None:
    """Add to `lines` (end -> start) every line of the block that holds the needle."""
    if way.byte_at is not None:
        byte = way.needle[way.byte_at : way.byte_at + 1]
        for variant in {byte, byte.swapcase()} if way.icase else {byte}:
            _by_byte(block, way.needle, way.byte_at, variant, way.icase, lines)
    elif way.run:
        _by_find(block.data, block.end, way.run, way.run_at, way.needle, lines)
    else:
        _by_find(block.lowered, block.end, way.needle, 0, way.needle, lines)


def _caseless_run(needle: bytes) -> tuple[int, bytes]:
    """The longest run of bytes that have no case, and where it starts."""
    best = (0, b"")
    for match in re.finditer(rb"[^A-Za-z]+", needle):
        if len(match.group()) > len(best[1]):
            best = (match.start(), match.group())
    return best


def _by_find(
    hay: bytes | bytearray, end: int, run: bytes, at: int, needle: bytes, lines: dict[int, int]
) -> None:
    """Lines holding `run` (at offset `at` of needle) and, around it, the whole needle."""
    find, rfind = hay.find, hay.rfind
    whole = run == needle
    pos = find(run, at, end)
    while pos >= 0:
        start = pos - at
        if whole or hay[start : start + len(needle)].lower() == needle:
            stop = find(_NL, pos, end)
            stop = end if stop < 0 else stop
            if stop not in lines:
                lines[stop] = rfind(_NL, 0, pos) + 1
            if stop >= end:
                return
            pos = find(run, stop + 1 + at, end)
        else:
            pos = find(run, pos + 1, end)


def _by_byte(
    block: Block, needle: bytes, offset: int, byte: bytes, icase: bool, lines: dict[int, int]
) -> None:
    data, end = block.data, block.end
    find, rfind, size = data.find, data.rfind, len(needle)
    pos = find(byte, offset, end)
    while pos >= 0:
        at = pos - offset
        if icase:
            hit = data[at : at + size].lower() == needle
        else:
            hit = data.startswith(needle, at) and at >= 0
        if hit and at + size <= end:
            stop = find(_NL, pos, end)
            stop = end if stop < 0 else stop
            if stop not in lines:
                lines[stop] = rfind(_NL, 0, at) + 1
            if stop >= end:
                return
            pos = find(byte, stop + 1 + offset, end)
        else:
            pos = find(byte, pos + 1, end)


def count_lines_with_any(
    data: bytes | bytearray, end: int, needles: Needles, icase: bool
) -> int | None:
    """Lines of data[:end] holding one of the needles, counted in C: no Python per line.

    The needles are all replaced by one byte the block lacks; then between two consecutive
    occurrences either a newline lies (two lines) or not (one line holding both).
    """
    hay = bytes(data[:end])
    if icase:
        hay = hay.lower()
    if len(needles) == 1:
        (needle,) = needles
    else:
        needle = next((m for m in _MARKERS if m not in hay), b"")
        if not needle:
            return None
        for each in needles:
            hay = hay.replace(each, needle)
    pieces = hay.split(needle)
    between = pieces[1:-1]
    same_line = len(between) - sum(map(operator.contains, between, repeat(_NL)))
    return len(pieces) - 1 - same_line


_MARKERS = [bytes([b]) for b in (0, 1, 2, 3, 4, 5, 6, 0x7F, 0xFF)]
