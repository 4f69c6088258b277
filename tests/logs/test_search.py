"""Search, filter, level presets and JSON pretty-printing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from console.core.logs.grep import count_matches, filter_before
from console.core.logs.search import PRESETS, Query, QueryError, parse_query, pretty_json

LINES = [
    "2024-05-01 10:00:00,001 INFO app.web: started",  # Python logging
    "2024-05-01 10:00:01,002 ERROR app.web: boom",
    "[2024-05-01 10:00:02,003] WARNING:huey.consumer:MainThread:slow task",  # huey
    "[2024-05-01 10:00:03,004] ERROR:huey:Worker-1:Unhandled exception in task",
    "[2024-05-01 10:00:04] production.ERROR: SQLSTATE[HY000] connection refused",  # Laravel
    "[2024-05-01 10:00:05] production.WARNING: deprecated call",
    "[2024-05-01 10:00:06] local.INFO: an error word in lower case is not a level",
    "Traceback (most recent call last):",
    "ValueError: bad value",
]


def matching(preset: str) -> list[int]:
    pattern = Query.preset(preset).for_text()
    return [i for i, line in enumerate(LINES) if pattern.search(line)]


def test_level_presets_know_python_huey_and_laravel() -> None:
    assert matching("errors") == [1, 3, 4, 7, 8]
    assert matching("warnings") == [1, 2, 3, 4, 5, 7, 8]


def test_parse_query_plain_regex_inverted() -> None:
    assert parse_query("a.b") == Query("a.b")
    assert parse_query("/a.b/") == Query("a.b", regex=True)
    assert parse_query("!/x+/") == Query("x+", regex=True, invert=True)
    assert not parse_query("a.b").for_text().search("axb")
    with pytest.raises(QueryError):
        parse_query("/(/")
    with pytest.raises(QueryError):
        parse_query("!")


def test_whole_file_count_and_filter(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("\n".join(LINES * 1000) + "\n")
    # The traceback and its exception line are one match.
    assert count_matches(str(log), Query.preset("errors")) == 4000
    fd = os.open(log, os.O_RDONLY)
    try:
        batch = filter_before(fd, str(log), Query("INFO", invert=True), log.stat().st_size, 3)
        assert [line.text for line in batch.lines] == [LINES[5], LINES[7], LINES[8]]
        assert batch.lines[0].offset is not None
    finally:
        os.close(fd)


def test_count_lines_equals_grep(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("a error b error\nnone\nerror\n")
    assert count_matches(str(log), Query("error")) == 2


def test_presets_match_real_log_formats() -> None:
    """JSON, logfmt, `error:`, Monolog; a lower-case word in prose is not a level."""
    errors = Query.preset("errors").for_text()
    for line in [
        '{"level":"error","msg":"x"}',
        '{"severity": "ERROR"}',
        '{"levelname": "ERROR", "name": "app"}',
        "ts=1 level=error msg=x",
        'level="fatal" msg=x',
        "main.go:3: error: cannot open",
        "[2024-05-01] local.ERROR: boom",
        "[2024-05-01] production.CRITICAL: boom",
        "KeyError: 'x'",
    ]:
        assert errors.search(line), line
    for line in ["an error word in prose", '{"level":"info"}', "level=warn", "errors=0"]:
        assert not errors.search(line), line
    assert Query.preset("warnings").for_text().search('{"level": "warning"}')


def test_presets_are_plain_extended_regexes() -> None:
    """A preset can be typed, edited, and given to grep -E as it is (no (?:...), no (?i))."""
    for text in PRESETS.values():
        assert "(?" not in text
        assert parse_query(f"/{text}/") == Query(text, regex=True)


def test_pretty_json_is_sanitized() -> None:
    assert pretty_json('{"a": [1, 2]}') == ["{", '  "a": [', "    1,", "    2", "  ]", "}"]
    assert pretty_json("not json") is None
    lines = pretty_json('{"k": "\\u001b]0;title\\u0007", "\\u009b": 1}')
    assert lines is not None and not any(ch in "".join(lines) for ch in "\x1b\x07\x9b")
