"""Which lines of a block of log bytes match a pattern: RE2 (linear time), literal pre-filter.

A block is whole lines (the last may lack its newline). A line matches when the pattern
matches somewhere in it, as `grep -E` decides: a match never spans two lines (RE2's
`never_nl`), `^`/`$` are the line's ends. ASCII patterns run on bytes as bytes (RE2's Latin-1
mode, like Python's `re` on bytes); a pattern with non-ASCII text runs as UTF-8.

Python's `re` is used only for what RE2 cannot express (back-references, look-around,
possessive repeats); `engine_note` says so, because `re` has no time guarantee.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import re2

from console.core.logs.counting import Counted, count_any, count_one, counted, counts_in_c
from console.core.logs.literals import Needles, plan_for
from console.core.logs.needles import (
    MAX_NEEDLES,
    SAMPLE_BYTES,
    Block,
    Way,
    count_lines_with_any,
    lines_with,
    way_for,
)

_ANY = re2._Anchor.UNANCHORED
_NL = b"\n"


@dataclass(frozen=True)
class PatternSpec:
    """What to match, in a form that can be sent to a worker process (picklable)."""

    source: str  # a regex (plain text is escaped before it gets here)
    ignore_case: bool = False
    invert: bool = False


class PatternError(ValueError):
    """The pattern cannot be compiled by either engine (one line for the user)."""


def _re2_source(source: str) -> str:
    # Python's `\Z` / `\A` are RE2's `\z` / `\A`; per line they are the line's ends.
    return re.sub(r"(?<!\\)((?:\\\\)*)\\Z", r"\1$", source)


def _compile_re2(spec: PatternSpec):
    options = re2.Options()
    options.never_nl = True
    options.never_capture = True
    options.log_errors = False
    options.case_sensitive = not spec.ignore_case
    data = ("(?m)" + _re2_source(spec.source)).encode("utf-8", "surrogateescape")
    if data.isascii():
        options.encoding = re2.Options.Encoding.LATIN1  # bytes as bytes, like `re` on bytes
    return re2.compile(data, options)


def _compile_re(spec: PatternSpec) -> re.Pattern[bytes]:
    flags = re.MULTILINE | (re.IGNORECASE if spec.ignore_case else re.NOFLAG)
    try:
        return re.compile(spec.source.encode("utf-8", "surrogateescape"), flags)
    except re.error as exc:
        raise PatternError(f"not a valid regular expression: {exc}") from None


class LineMatcher:
    """Finds the lines of a block that match (or, inverted, that do not)."""

    def __init__(self, spec: PatternSpec) -> None:
        self.spec = spec
        self.engine = "re2"
        self.engine_note: str | None = None
        try:
            self._re2 = _compile_re2(spec)
            self._search = self._re2._regexp.Match
            self._fallback: re.Pattern[bytes] | None = None
        except re2.error:
            self._fallback = _compile_re(spec)  # raises PatternError if `re` refuses too
            self.engine = "re"
            self.engine_note = "Python re (RE2 cannot run this pattern): no time limit"
        self._needles, self._icase, self._pure = self._plan()
        self._ways: list[Way] | None = None
        self._counted: list[Counted] | None = None

    def _plan(self) -> tuple[Needles | None, bool, bool]:
        flags = re.MULTILINE | (re.IGNORECASE if self.spec.ignore_case else 0)
        source = self.spec.source.encode("utf-8", "surrogateescape")
        plan = plan_for(source, flags, self.engine == "re2")
        if plan is None:
            return None, False, False
        needles = min(plan.choices, key=lambda c: (-min(map(len, c)), len(c)))
        if plan.icase and not all(n.isascii() for n in needles):
            return None, False, False  # bytes.lower() folds ASCII only
        if any(_NL in n for n in needles):
            return None, False, False  # never matches within a line: let the engine say so
        if len(needles) > MAX_NEEDLES and self.engine == "re2":
            return None, False, False
        return needles, plan.icase, plan.pure

    @property
    def counts_in_c(self) -> bool:
        """Whether count() is the C helper's alone: it reads nothing of a block past `end`, so
        a reused buffer with stale bytes after `end` is fine (segment.py reads into one)."""
        needles = self._needles
        return needles is not None and self._pure and not self._icase and counts_in_c(needles)

    # --- one line ----------------------------------------------------------------------

    def line_matches(self, data: bytes | bytearray, start: int, end: int) -> bool:
        """Whether the line data[start:end] (no newline) has a match."""
        if self._fallback is not None:
            return self._fallback.search(data, start, end) is not None
        return self._search(_ANY, data, start, end)[0][0] >= 0

    # --- a block -----------------------------------------------------------------------

    def matching(self, data: bytes | bytearray, end: int) -> list[tuple[int, int]]:
        """(start, end) of each line of data[:end] with a match, in order, newline excluded."""
        if self._needles is not None:
            return self._by_needles(data, end)
        if self._fallback is not None:
            return self._by_re(data, end)
        return self._by_re2(data, end)

    def count(self, data: bytes | bytearray, end: int) -> int:
        """How many lines of data[:end] the filter keeps."""
        found = None
        if self._needles is not None and self._pure:
            found = self._count_pure(data, end)
        if found is None:
            found = len(self.matching(data, end))
        if not self.spec.invert:
            return found
        return line_count(data, end) - found

    def kept(self, data: bytes | bytearray, end: int) -> list[tuple[int, int]]:
        """The lines the filter keeps: matching ones, or the others when inverted."""
        found = self.matching(data, end)
        if not self.spec.invert:
            return found
        return _complement(data, end, found)

    def _ways_for(self, data: bytes | bytearray, end: int) -> list[Way]:
        """How to look for each needle, decided on the first block (the file's sample)."""
        assert self._needles is not None
        if self._ways is None:
            sample = data[: min(end, SAMPLE_BYTES)]
            self._ways = [way_for(n, self._icase, sample) for n in self._needles]
        return self._ways

    def _count_pure(self, data: bytes | bytearray, end: int) -> int | None:
        """Lines holding a needle (counting.py; ignoring case: common needles counted in C,
        rare ones found by memchr and counted unless their line holds a common one too)."""
        assert self._needles is not None
        if not self._icase and all(self._needles):
            if self._counted is None:
                sample = data[: min(end, SAMPLE_BYTES)]
                self._counted = [counted(n, sample) for n in sorted(self._needles)]
            if len(self._counted) == 1:
                return count_one(data, end, self._counted[0])
            found = count_any(data, end, self._counted)
            if found is not None:
                return found
        ways = self._ways_for(data, end)
        common = frozenset(w.needle for w in ways if w.byte_at is None)
        found = count_lines_with_any(data, end, common, self._icase) if common else 0
        if found is None:
            return None
        rare: dict[int, int] = {}
        block = Block(data, end)
        for way in ways:
            if way.byte_at is not None:
                lines_with(block, way, rare)
        for stop, start in rare.items():
            line = data[start:stop].lower() if self._icase else data[start:stop]
            found += not any(n in line for n in common)
        return found

    def _by_needles(self, data: bytes | bytearray, end: int) -> list[tuple[int, int]]:
        """Lines holding a needle (found at memchr speed), then checked by the engine."""
        block = Block(data, end)
        lines: dict[int, int] = {}  # line end -> line start: a line found twice counts once
        for way in self._ways_for(data, end):
            lines_with(block, way, lines)
        spans = [(s, e) for e, s in lines.items()]
        if len(self._needles) > 1:
            spans.sort()
        if self._pure:
            return spans
        check = self.line_matches
        return [(s, e) for s, e in spans if check(data, s, e)]

    def _by_re2(self, data: bytes | bytearray, end: int) -> list[tuple[int, int]]:
        out = []
        search, find, rfind = self._search, data.find, data.rfind
        pos = 0
        while pos <= end:
            hit = search(_ANY, data, pos, end)[0][0]
            if hit < 0:
                break
            start = rfind(_NL, 0, hit) + 1 if hit > pos else pos
            stop = find(_NL, hit, end)
            stop = end if stop < 0 else stop
            if start < end or start == stop:
                out.append((start, stop))
            pos = stop + 1
        if out and out[-1][0] == end:
            out.pop()  # the empty "line" after the last newline is no line
        return out

    def _by_re(self, data: bytes | bytearray, end: int) -> list[tuple[int, int]]:
        """`re` over the block; a match that crosses a newline is checked on its line alone."""
        assert self._fallback is not None
        out = []
        search, find, rfind = self._fallback.search, data.find, data.rfind
        pos = 0
        while pos < end:
            match = search(data, pos, end)
            if match is None:
                break
            start = rfind(_NL, 0, match.start()) + 1
            start = max(start, pos)
            stop = find(_NL, match.start(), end)
            stop = end if stop < 0 else stop
            if match.end() <= stop or search(data, start, stop) is not None:
                out.append((start, stop))
            pos = stop + 1
        return out


def line_count(data: bytes | bytearray, end: int) -> int:
    """Lines in data[:end]: newlines, plus one for a last line without its newline."""
    if end <= 0:
        return 0
    return data.count(_NL, 0, end) + (data[end - 1] != 10)


def _complement(
    data: bytes | bytearray, end: int, found: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Every line of data[:end] that is not in `found` (which is in order)."""
    out = []
    find = data.find
    pos = 0
    for start, stop in [*found, (end + 1, end + 1)]:
        while pos < start and pos < end:
            nl = find(_NL, pos, end)
            nl = end if nl < 0 else nl
            out.append((pos, nl))
            pos = nl + 1
        pos = stop + 1
    return out


@lru_cache(maxsize=32)
def matcher_for(spec: PatternSpec) -> LineMatcher:
    """A compiled matcher, cached (a worker process compiles each pattern once)."""
    return LineMatcher(spec)
