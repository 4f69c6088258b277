"""Count matching lines of a mapped file by pre-scanning for the literals every match needs.

A needle is found with memchr on its rarest byte (as sampled from the file) when that byte is
rare, else with `re`'s literal scan; only the lines that hold a needle are given to the regex,
and for a pattern that is nothing but its needles the regex is not run at all.
"""

from __future__ import annotations

import heapq
import mmap
import re
from collections.abc import Iterator

from console.core.logs.literals import Needles, Plan

SAMPLES = 16
SAMPLE_BYTES = 64 * 1024
# Relative costs per byte scanned and per hit, from measurements on a 1 GiB log.
MEMCHR_PER_BYTE = 0.04
SCAN_PER_BYTE = 0.4
PER_HIT = 400.0


def sample_of(mm: mmap.mmap) -> bytes:
    """Slices spread over the file: enough to rank needles and bytes by how often they occur."""
    size = len(mm)
    if size <= SAMPLES * SAMPLE_BYTES:
        return mm[:]
    step = size // SAMPLES
    return b"".join(mm[i * step : i * step + SAMPLE_BYTES] for i in range(SAMPLES))


def choose(plan: Plan, sample: bytes) -> Needles | None:
    """The needle set to pre-scan for (the rarest in the sample); None when the pattern's own
    literal prefix is the best one, since `re` already scans for that as fast."""
    hay = sample.lower() if plan.icase else sample
    needles = min(plan.choices, key=lambda c: (sum(hay.count(n) for n in c), -min(map(len, c))))
    if not plan.pure and plan.prefix and needles == frozenset([plan.prefix]):
        return None
    return needles


def first_matching_line(
    mm: mmap.mmap,
    pattern: re.Pattern[bytes],
    plan: Plan,
    needles: Needles,
    sample: bytes,
    start: int,
) -> int | None:
    """Start of the first line with a match at or after `start`; None if there is none."""
    streams = [_lines_with(mm, n, plan.icase, sample, start) for n in needles]
    last = -1
    for line_start, end in heapq.merge(*streams):
        if end == last:
            continue  # the same line, found by another needle
        last = end
        if plan.pure or pattern.search(mm, max(line_start, start), end) is not None:
            return line_start
    return None


def count_matching(
    mm: mmap.mmap, pattern: re.Pattern[bytes], plan: Plan, sample: bytes
) -> int | None:
    """Lines of mm that pattern matches, each line searched on its own (as grep does).

    None when the best needle is the pattern's own literal prefix: `re` alone is as quick.
    """
    needles = choose(plan, sample)
    if needles is None:
        return None
    hay = sample.lower() if plan.icase else sample
    ordered = sorted(needles, key=hay.count, reverse=True)  # densest first: counted in C
    count = 0
    done: list[bytes] = []
    for needle in ordered:
        if plan.pure and not plan.icase and not done:
            count += len(_line_rest(needle).findall(mm))
        else:
            count += _count_needle(mm, pattern, plan, needle, done, sample)
        done.append(needle)
    return count


def _count_needle(
    mm: mmap.mmap, pattern: re.Pattern[bytes], plan: Plan, needle: bytes, done: list, sample: bytes
) -> int:
    """Lines holding needle, none of the needles already counted, and a match."""
    count = 0
    search = pattern.search
    for start, end in _lines_with(mm, needle, plan.icase, sample):
        if done:
            line = mm[start:end].lower() if plan.icase else mm[start:end]
            if any(line.find(d) >= 0 for d in done):
                continue
        if plan.pure or search(mm, start, end) is not None:
            count += 1
    return count


def _lines_with(
    mm: mmap.mmap, needle: bytes, icase: bool, sample: bytes, lo: int = 0
) -> Iterator[tuple[int, int]]:
    """(start, end) of each line holding needle at or after lo, in order, each once."""
    offset, variants = _rarest(needle, icase, sample)
    hits = sum(sample.count(v) for v in variants) * len(mm) / max(len(sample), 1)
    memchr_cost = len(mm) * MEMCHR_PER_BYTE * len(variants) + hits * PER_HIT
    if len(variants) > 1:  # both cases of a letter: a line may be found by each
        last = -1
        merged = heapq.merge(*(_by_byte(mm, needle, icase, offset, v, lo) for v in variants))
        for line in merged:
            if line[1] != last:
                last = line[1]
                yield line
    elif icase or memchr_cost < len(mm) * SCAN_PER_BYTE:
        yield from _by_byte(mm, needle, icase, offset, variants[0], lo)
    else:
        yield from _by_find(mm, needle, lo)


def _rarest(needle: bytes, icase: bool, sample: bytes) -> tuple[int, tuple[bytes, ...]]:
    """Offset in needle of its rarest byte, and the byte(s) to look for there."""

    def variants(i: int) -> tuple[bytes, ...]:
        b = needle[i : i + 1]
        return (b, b.upper()) if icase and b != b.upper() else (b,)

    best = min(range(len(needle)), key=lambda i: sum(sample.count(v) for v in variants(i)))
    return best, variants(best)


def _by_byte(
    mm: mmap.mmap, needle: bytes, icase: bool, offset: int, byte: bytes, lo: int
) -> Iterator[tuple[int, int]]:
    find, rfind, size, n = mm.find, mm.rfind, len(mm), len(needle)
    pos = find(byte, lo + offset)
    while pos >= 0:
        start = pos - offset
        if icase:
            found = start >= 0 and mm[start : start + n].lower() == needle
        else:
            found = start >= 0 and find(needle, start, start + n) >= 0
        if found:
            end = find(b"\n", pos)
            end = size if end < 0 else end
            yield rfind(b"\n", 0, start) + 1, end
            if end >= size:
                return
            pos = find(byte, end + 1)
        else:
            pos = find(byte, pos + 1)


def _by_find(mm: mmap.mmap, needle: bytes, lo: int) -> Iterator[tuple[int, int]]:
    find, rfind, size = mm.find, mm.rfind, len(mm)
    pos = find(needle, lo)
    while pos >= 0:
        end = find(b"\n", pos)
        end = size if end < 0 else end
        yield rfind(b"\n", 0, pos) + 1, end
        if end >= size:
            return
        pos = find(needle, end + 1)


_REST: dict[bytes, re.Pattern[bytes]] = {}


def _line_rest(needle: bytes) -> re.Pattern[bytes]:
    """needle and the rest of its line: one findall item per line that holds needle."""
    pattern = _REST.get(needle)
    if pattern is None:
        if len(_REST) > 64:
            _REST.clear()
        pattern = _REST[needle] = re.compile(re.escape(needle) + rb"[^\n]*()")
    return pattern
