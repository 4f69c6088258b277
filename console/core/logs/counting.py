"""Counting the lines of a block that hold literal needles, as fast as Python can go.

The cost is per candidate when a needle is found by memchr on its rarest byte (a few C calls
each), and per byte when it is counted in C (`bytes.count`, ~1.5 GB/s). So a needle whose
rarest byte is sparse in the file is found by memchr, a line at a time, skipping to the next
line after each hit; a dense one is counted in C, and one RE2 search checks that no line holds
it twice (else that block is counted exactly, line by line). Case-sensitive needles only: the
case-insensitive ones stay with needles.py.

When the optional C helper (_linecount.c, built at install) is there, it does the same memchr
walk with no Python per line: ~3x faster, and faster than `grep -c` on one core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import re2

try:
    from console.core.logs._linecount import count_lines as _count_in_c
except ImportError:  # not built (no compiler at install): the Python ways below
    _count_in_c = None

_NL = b"\n"
_ANY = re2._Anchor.UNANCHORED
# memchr + a check costs ~0.4 µs a candidate; bytes.count + the RE2 check ~0.8 ms a MB:
# memchr wins while candidates are rarer than about one in 500 bytes.
SPARSE = 1 / 500
C_MAX_NEEDLES = 16


@dataclass(frozen=True)
class Counted:
    """How to count one needle: from its rarest byte (at `at`), or in C when that is dense."""

    needle: bytes
    at: int
    sparse: bool


def counts_in_c(needles: Sequence[bytes]) -> bool:
    """Whether count_one/count_any count these needles in C (reading nothing past `end`)."""
    return _count_in_c is not None and 0 < len(needles) <= C_MAX_NEEDLES and all(needles)


def counted(needle: bytes, sample: bytes | bytearray) -> Counted:
    """Decide once, from a sample of the file, how to count a needle."""
    size = max(len(sample), 1)
    at = min(range(len(needle)), key=lambda i: sample.count(needle[i : i + 1]))
    return Counted(needle, at, sample.count(needle[at : at + 1]) / size <= SPARSE)


def line_ends(data: bytes | bytearray, end: int, way: Counted) -> list[int]:
    """Where each line of data[:end] holding the needle ends (its newline, or `end`)."""
    needle, at = way.needle, way.at
    byte = needle[at : at + 1]
    find, holds = data.find, data.startswith
    out = []
    pos = find(byte, at, end)
    while pos >= 0:
        if holds(needle, pos - at, end):
            stop = find(_NL, pos, end)
            if stop < 0:
                out.append(end)
                break
            out.append(stop)
            pos = find(byte, stop + 1 + at, end)  # the rest of this line is not needed
        else:
            pos = find(byte, pos + 1, end)
    return out


def _count_sparse(data: bytes | bytearray, end: int, way: Counted) -> int:
    """line_ends without the list: the hot loop of a count (a few C calls a candidate)."""
    needle, at = way.needle, way.at
    byte = needle[at : at + 1]
    find, holds = data.find, data.startswith
    count = 0
    pos = find(byte, at, end)
    while pos >= 0:
        if holds(needle, pos - at, end):
            count += 1
            pos = find(_NL, pos, end)
            if pos < 0:
                break
            pos = find(byte, pos + 1 + at, end)
        else:
            pos = find(byte, pos + 1, end)
    return count


def count_one(data: bytes | bytearray, end: int, way: Counted) -> int:
    """Lines of data[:end] holding the needle."""
    if _count_in_c is not None:
        return _count_in_c(data, end, (way.needle,), (way.at,))
    if way.sparse:
        return _count_sparse(data, end, way)
    hits = data.count(way.needle, 0, end)
    if hits and _twice(way.needle).Match(_ANY, data, 0, end)[0][0] >= 0:
        return _count_sparse(data, end, way)  # a line holds it twice: count exactly
    return hits


def count_any(data: bytes | bytearray, end: int, ways: Sequence[Counted]) -> int | None:
    """Lines holding any of the needles, when every one is sparse or C counts (else None)."""
    if _count_in_c is not None and len(ways) <= C_MAX_NEEDLES:
        return _count_in_c(data, end, tuple(w.needle for w in ways), tuple(w.at for w in ways))
    if not all(way.sparse for way in ways):
        return None
    found = [ends for way in ways if (ends := line_ends(data, end, way))]
    if len(found) <= 1:
        return len(found[0]) if found else 0
    return len(set().union(*found))


@lru_cache(maxsize=64)
def _twice(needle: bytes):
    """RE2 for a line holding the needle twice (never across a newline)."""
    options = re2.Options()
    options.never_nl = True
    options.never_capture = True
    options.log_errors = False
    options.encoding = re2.Options.Encoding.LATIN1
    quoted = b"".join(b"\\x%02x" % byte for byte in needle)  # any byte, as itself
    return re2.compile(quoted + rb"[^\n]*" + quoted, options)._regexp
