"""Search and filter: plain text, regex, inverted; level presets; JSON pretty-printing.

Whole-file searches run `re` over an mmap of the file, on bytes: no decoding, no lines built,
so a search keeps pace with `grep -c -E`.
"""

from __future__ import annotations

import json
import mmap
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from console.core.logs.lines import MAX_LINE_BYTES, Batch, LogLine, render
from console.core.logs.literals import plan_for
from console.core.logs.prescan import choose, count_matching, first_matching_line, sample_of
from console.core.sanitize import clean

# Level words as Python logging (and so huey: "[ts] ERROR:huey.consumer:...") and Laravel
# ("[ts] production.ERROR: ...") write them, plus the lines of a Python traceback.
_ERRORS = (
    r"\b(?:ERROR|CRITICAL|FATAL|EMERGENCY|ALERT)\b"
    r"|^Traceback \(most recent call last\)"
    r"|^[\w.]*(?:Error|Exception): "
)
PRESETS: dict[str, str] = {
    "errors": _ERRORS,
    "warnings": _ERRORS + r"|\bWARN(?:ING)?\b",
}
CHUNK = 4 * 1024 * 1024


class QueryError(ValueError):
    """A search the user typed cannot be used (one line, for the user)."""


@dataclass(frozen=True)
class Query:
    """What to look for: text (plain or regex), case, and whether to invert a filter."""

    text: str
    regex: bool = False
    invert: bool = False
    ignore_case: bool = True

    @classmethod
    def preset(cls, name: str) -> Query:
        return cls(PRESETS[name], regex=True, ignore_case=False)

    def _source(self) -> str:
        return self.text if self.regex else re.escape(self.text)

    def _flags(self) -> re.RegexFlag:
        return re.MULTILINE | (re.IGNORECASE if self.ignore_case else re.NOFLAG)

    def for_text(self) -> re.Pattern[str]:
        """The pattern for lines already decoded and sanitized (in-pane highlight, filter)."""
        try:
            return re.compile(self._source(), self._flags())
        except re.error as exc:
            raise QueryError(f"not a valid regular expression: {exc}") from None

    def for_bytes(self) -> re.Pattern[bytes]:
        """The same pattern over raw file bytes (whole-file search)."""
        try:
            return re.compile(self._source().encode("utf-8", "surrogateescape"), self._flags())
        except re.error as exc:
            raise QueryError(f"not a valid regular expression: {exc}") from None

    def keeps(self, pattern: re.Pattern[str], line: str) -> bool:
        """Whether a filter with this query shows the line."""
        return (pattern.search(line) is None) == self.invert


def _map(fd: int) -> mmap.mmap | None:
    if os.fstat(fd).st_size == 0:
        return None
    return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)


def count_lines(path: str, pattern: re.Pattern[bytes]) -> int:
    """How many lines of the file match (what `grep -c -E` prints)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        mm = _map(fd)
        if mm is None:
            return 0
        with mm:
            plan = plan_for(pattern.pattern, pattern.flags)
            if plan is not None:
                count = count_matching(mm, pattern, plan, sample_of(mm))
                if count is not None:
                    return count
            return _count_by_search(mm, pattern)
    finally:
        os.close(fd)


def _count_by_search(mm: mmap.mmap, pattern: re.Pattern[bytes]) -> int:
    """Count with `re` over the whole map, then on to the next line after each match.

    A match that runs past its first line (`\\s`, `[^x]`) counts that line only if the line
    alone matches, as grep would say.
    """
    count = pos = 0
    size = len(mm)
    search, find, rfind = pattern.search, mm.find, mm.rfind
    while pos < size:
        match = search(mm, pos)
        if match is None:
            break
        start = match.start()
        end = find(b"\n", start)
        end = size if end < 0 else end
        if match.end() <= end or search(mm, rfind(b"\n", 0, start) + 1, end) is not None:
            count += 1
        pos = end + 1
    return count


def _line_at(mm: mmap.mmap, pos: int) -> tuple[int, int]:
    start = mm.rfind(b"\n", 0, pos) + 1
    end = mm.find(b"\n", pos)
    return start, len(mm) if end < 0 else end


def find_next(fd: int, pattern: re.Pattern[bytes], start: int) -> int | None:
    """Offset of the first line at or after `start` that matches, or None."""
    mm = _map(fd)
    if mm is None:
        return None
    with mm:
        plan = plan_for(pattern.pattern, pattern.flags)
        if plan is not None:
            sample = sample_of(mm)
            needles = choose(plan, sample)
            if needles is not None:
                return first_matching_line(mm, pattern, plan, needles, sample, start)
        match = pattern.search(mm, start)
        return None if match is None else _line_at(mm, match.start())[0]


def find_prev(fd: int, pattern: re.Pattern[bytes], before: int) -> int | None:
    """Offset of the last line starting before `before` that matches, or None."""
    mm = _map(fd)
    if mm is None:
        return None
    with mm:
        hi = min(before, len(mm))
        while hi > 0:
            lo = max(0, hi - CHUNK)
            lo = mm.rfind(b"\n", 0, lo) + 1 if lo else 0  # whole lines only
            last = None
            for last in pattern.finditer(mm, lo, hi):  # noqa: B007 - we want the last one
                pass
            if last is not None:
                return _line_at(mm, last.start())[0]
            hi = lo
        return None


def filter_before(
    fd: int,
    query: Query,
    end: int,
    n: int,
    cancelled: Callable[[], bool] = lambda: False,
    cap: int = MAX_LINE_BYTES,
) -> Batch:
    """The last n lines before `end` that the filter keeps, scanning back in chunks."""
    pattern = query.for_bytes()
    mm = _map(fd)
    if mm is None:
        return Batch(reset=True, start=0, end=0)
    found: list[LogLine] = []
    with mm:
        hi = min(end, len(mm))
        while hi > 0 and len(found) < n and not cancelled():
            lo = max(0, hi - CHUNK)
            lo = mm.rfind(b"\n", 0, lo) + 1 if lo else 0
            chunk = [
                LogLine(render(line[: cap + 1]), offset=offset)
                for offset, line in _lines(mm, lo, hi)
                if (pattern.search(line) is None) == query.invert
            ]
            found[:0] = chunk
            hi = lo
    found = found[-n:]
    return Batch(tuple(found), reset=True, start=found[0].offset if found else end, end=end)


def _lines(mm: mmap.mmap, lo: int, hi: int) -> list[tuple[int, bytes]]:
    data = mm[lo:hi]
    out = []
    pos = 0
    for piece in data.split(b"\n"):
        out.append((lo + pos, piece))
        pos += len(piece) + 1
    if out and not out[-1][1]:
        out.pop()
    return out


def pretty_json(line: str) -> list[str] | None:
    """A JSON object or array line as indented, sanitized lines; None if it is not JSON."""
    stripped = line.strip()
    if not stripped or stripped[0] not in "{[":
        return None
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    # json.loads turns "\u001b" into a real ESC: sanitize every line it produces.
    return [clean(part) for part in json.dumps(value, indent=2, ensure_ascii=False).splitlines()]


def parse_query(text: str) -> Query:
    """What the user typed: `!` first inverts, `/…/` is a regex, anything else plain text."""
    invert = text.startswith("!")
    if invert:
        text = text[1:]
    regex = len(text) >= 2 and text.startswith("/") and text.endswith("/")
    if regex:
        text = text[1:-1]
    if not text:
        raise QueryError("nothing to look for")
    query = Query(text, regex=regex, invert=invert)
    query.for_text()  # raises QueryError for a bad regex now, not later
    return query
