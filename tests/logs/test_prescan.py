"""Whole-file counts with the literal pre-scan agree with a plain line-by-line search."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from console.core.logs.literals import plan_for
from console.core.logs.search import Query, count_lines, find_next

LINES = [
    b"2024-05-01 10:00:00 INFO job 1 finished in 991 ms queue=default",
    b"2024-05-01 10:00:01 ERROR job 2 failed queue=default CRITICAL",
    b"2024-05-01 10:00:02 error in lower case, Error: mixed",
    b"2024-05-01 10:00:03 CRITICAL disk full ERROR ERROR",
    b"Traceback (most recent call last):",
    b"ValueError: bad value",
    b"",
    b"crItIcal eRRoR in odd case",
    b"job 12 finished in 5 ms",
]

PATTERNS = [
    (rb"ERROR|CRITICAL", 0),
    (rb"ERROR|CRITICAL", re.IGNORECASE),
    (rb"job [0-9]+ finished in 99[0-9] ms", 0),
    (rb"ERROR.*queue=default", 0),
    (rb"error", re.IGNORECASE),
    (rb"(?i:err)or", 0),
    (rb"in [0-9]+ ms$", re.MULTILINE),
    (rb"^job", re.MULTILINE),
    (rb"ERROR$", re.MULTILINE),
    (rb"\bERROR\b|^[\w.]*Error: ", re.MULTILINE),
    (rb"x|", 0),
    (rb"ERROR\s+job", 0),  # \s may match a newline: the whole-file search decides
    (rb"[^x]+CRITICAL", 0),
]


def expected(lines: list[bytes], pattern: re.Pattern[bytes]) -> int:
    return sum(1 for line in lines if pattern.search(line))


@pytest.mark.parametrize(("source", "flags"), PATTERNS)
def test_count_is_lines_that_match(tmp_path: Path, source: bytes, flags: int) -> None:
    pattern = re.compile(source, flags)
    lines = LINES * 300 + [b"ERROR at the end without newline"]
    log = tmp_path / "app.log"
    log.write_bytes(b"\n".join(lines))
    assert count_lines(str(log), pattern) == expected(lines, pattern)


def test_a_line_with_several_needles_counts_once(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(b"ERROR CRITICAL ERROR\nCRITICAL\nnothing\nERROR\n" * 1000)
    assert count_lines(str(log), re.compile(rb"ERROR|CRITICAL")) == 3000
    assert count_lines(str(log), re.compile(rb"critical|error", re.IGNORECASE)) == 3000


def test_presets_and_typed_queries_are_prescanned(tmp_path: Path) -> None:
    errors = Query.preset("errors").for_bytes()
    plan = plan_for(errors.pattern, errors.flags)
    assert plan is not None and not plan.icase
    typed = Query("Error").for_bytes()  # plain text, case-insensitive by default
    plan = plan_for(typed.pattern, typed.flags)
    assert plan is not None and plan.icase and plan.pure
    log = tmp_path / "app.log"
    log.write_bytes(b"an ERROR\nan error\nan Err\n")
    assert count_lines(str(log), typed) == 2


def test_patterns_that_may_span_lines_get_no_plan() -> None:
    for source in (rb"a\nb", rb"[^x]", rb"a\sb", rb"(?s)a.b", rb"a$", rb"a\Z", rb"(a)\1"):
        assert plan_for(source, 0) is None, source


def _first_line_at_or_after(data: bytes, pattern: re.Pattern[bytes], start: int) -> int | None:
    """The reference: every line on its own, the one holding `start` from `start` on."""
    offset = 0
    for line in data.split(b"\n"):
        end = offset + len(line)
        if end >= start and pattern.search(data, max(offset, start), end):
            return offset
        offset = end + 1
    return None


@pytest.mark.parametrize(("source", "flags"), PATTERNS)
def test_find_next_agrees_with_a_line_by_line_search(
    tmp_path: Path, source: bytes, flags: int
) -> None:
    pattern = re.compile(source, flags)
    data = b"\n".join(LINES * 50 + [b"ERROR at the end without newline"])
    log = tmp_path / "app.log"
    log.write_bytes(data)
    fd = os.open(log, os.O_RDONLY)
    try:
        for start in (0, 1, 70, 150, len(data) // 2, len(data) - 5, len(data)):
            if plan_for(source, flags) is None:
                continue  # cross-line patterns keep the whole-file search
            assert find_next(fd, pattern, start) == _first_line_at_or_after(data, pattern, start)
    finally:
        os.close(fd)


def test_find_next_over_a_file_with_no_match_is_none(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(b"INFO all fine\n" * 10_000)
    fd = os.open(log, os.O_RDONLY)
    try:
        assert find_next(fd, re.compile(rb"ERROR|CRITICAL"), 0) is None
        assert find_next(fd, re.compile(rb"fine", re.IGNORECASE), 14) == 14
    finally:
        os.close(fd)
