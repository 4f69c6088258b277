"""The scan engine agrees with a plain line-by-line search, on every kind of pattern and file."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest

from console.core.logs import scan as scan_module
from console.core.logs import segment
from console.core.logs.blocks import HEADER, is_frame
from console.core.logs.grep import count_matches, filter_before, kept_lines
from console.core.logs.lines import render
from console.core.logs.search import Query
from console.core.logs.workers import shared_pool

LINES = [
    b"2024-05-01 10:00:00,001 INFO app.web: started job 12345 in 991 ms",
    b"2024-05-01 10:00:01,002 ERROR app.web: boom queue=default",
    b"[2024-05-01 10:00:02] WARNING:huey.consumer:MainThread:slow task",
    b"[2024-05-01 10:00:03] ERROR:huey:Worker-1:Unhandled exception in task",
    b"[2024-05-01 10:00:04] local.ERROR: SQLSTATE[HY000] connection refused",
    b'{"ts": "2024-05-01T10:00:05Z", "level":"error", "msg": "db down"}',
    b'{"severity": "ERROR", "message": "x"}',
    b'{"levelname": "ERROR", "name": "app"}',
    b"ts=2024-05-01T10:00:06Z level=error msg=timeout",
    b'ts=2024-05-01T10:00:06Z level="warn" msg=slow',
    b"main.go:12: error: cannot open file",
    b"[2024-05-01 10:00:07] local.INFO: an error word in lower case is not a level",
    b"Traceback (most recent call last):",
    b'  File "app.py", line 3, in <module>',
    b"    main()",
    b"ValueError: bad value",
    b"crItIcal eRRoR in odd case, ERROR ERROR twice",
    b"",
    b"caf\xc3\xa9 \xff\xfe bad utf8 ERROR",
    b"nul \x00 byte ERROR",
    b"crlf line ERROR\r",
    b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
]

QUERIES = [
    Query("ERROR"),  # a literal (smart case: sensitive)
    Query("error"),  # smart case: insensitive
    Query("job 12345 "),  # insensitive, found through its digits
    Query("ERROR|CRITICAL|WARNING", regex=True),
    Query("ERROR|warning", regex=True, ignore_case=True),
    Query(r"^\[2024", regex=True),
    Query(r"ms$", regex=True),
    Query(r"ERROR\r?$", regex=True),
    Query(r"[0-9]{2}:[0-9]{2}:0[3-5]", regex=True),
    Query(r"\bERROR\b", regex=True),
    Query(r"level=\w+", regex=True),
    Query(r"ERROR\s+app", regex=True),
    Query(r"[^x]+default", regex=True),
    Query("ERROR", invert=True),
    Query(r"^$", regex=True),
    Query(r"^$", regex=True, invert=True),
    Query(r"(a+)+$", regex=True),
    Query(r"(\w)\1{5}", regex=True),  # a back-reference: needs Python's re
    Query("café"),
    Query("x|", regex=True),
    Query.preset("errors"),
    Query.preset("warnings"),
    Query(Query.preset("errors").text, regex=True, invert=True, ignore_case=False),
]


def reference(data: bytes, query: Query) -> list[bytes]:
    """The lines a filter keeps, one line at a time with Python's re (a traceback: one match)."""
    flags = re.IGNORECASE if query.case_insensitive else 0
    pattern = re.compile(query.source.encode(), flags)
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    kept: list[bytes] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if (pattern.search(line) is None) != query.invert:
            continue
        kept.append(line)
        if not query.invert and line.startswith(HEADER):
            while i < len(lines):
                kept.append(lines[i])
                i += 1
                if not is_frame(lines[i - 1]):
                    break
    return kept


def reference_count(data: bytes, query: Query) -> int:
    flags = re.IGNORECASE if query.case_insensitive else 0
    pattern = re.compile(query.source.encode(), flags)
    blocks = not query.invert and pattern.search(HEADER) is not None
    lines = reference(data, query)
    if not blocks:
        return len(lines)
    count, inside = 0, False
    for line in lines:
        if inside:
            inside = is_frame(line)
            continue
        count += 1
        inside = line.startswith(HEADER)
    return count


def _texts(lines) -> list[str]:
    return [line.text for line in lines]


def _check(path: Path, query: Query, parallel: bool = False) -> None:
    data = path.read_bytes()
    assert count_matches(str(path), query, parallel=parallel) == reference_count(data, query)
    fd = os.open(path, os.O_RDONLY)
    try:
        got = _texts(kept_lines(fd, str(path), query, parallel=parallel))
        assert got == [render(line) for line in reference(data, query)]
        last = filter_before(fd, str(path), query, len(data), 7)
        assert _texts(last.lines) == [render(line) for line in reference(data, query)][-7:]
    finally:
        os.close(fd)


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Segments and blocks of a few hundred bytes: every boundary case on a small file."""
    monkeypatch.setattr(scan_module, "FIRST_SEGMENT", 300)
    monkeypatch.setattr(scan_module, "MAX_SEGMENT", 1100)
    monkeypatch.setattr(segment, "BLOCK", 256)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.describe()[:30])
def test_engine_agrees_with_a_line_by_line_search(
    tmp_path: Path, query: Query, small_segments: None
) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(b"\n".join(LINES * 7) + b"\n")
    _check(log, query)


@pytest.mark.parametrize("tail", [b"no final newline ERROR", b"\r\n", b"\x00\x00"])
def test_hostile_endings(tmp_path: Path, tail: bytes, small_segments: None) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(b"\n".join(LINES * 3) + b"\n" + tail)
    for query in (Query("ERROR"), Query("ERROR", invert=True), Query.preset("errors")):
        _check(log, query)


def test_a_10_mb_line_is_matched_whole_and_memory_stays_bounded(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    long_line = b"x" * 5_000_000 + b" needle " + b"y" * 5_000_000
    log.write_bytes(b"before\n" + long_line + b"\nafter needle\n")
    query = Query("needle")
    assert count_matches(str(log), query, parallel=False) == 2
    fd = os.open(log, os.O_RDONLY)
    try:
        lines = list(kept_lines(fd, str(log), query, parallel=False))
    finally:
        os.close(fd)
    assert lines[0].text.endswith(f"…[+{len(long_line) - 8192} bytes]")
    assert lines[0].offset == 7 and lines[1].text == "after needle"


def test_pathological_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(b"a" * 200_000 + b"b\n" + b"a" * 1000 + b"\n")
    query = Query("(a+)+$", regex=True)
    assert query.engine_note is None  # RE2: no backtracking, whatever the input
    assert count_matches(str(log), query, parallel=False) == 1


def test_back_reference_falls_back_to_re_and_says_so() -> None:
    note = Query(r"(\w)\1", regex=True).engine_note
    assert note is not None and "Python re" in note


def test_many_segments_across_worker_processes(tmp_path: Path) -> None:
    log = tmp_path / "big.log"
    lines = [
        f"2024-05-01 10:{i % 60:02d} {'ERROR' if i % 97 == 0 else 'INFO'} job {i}"
        for i in range(400_000)
    ]
    data = ("\n".join(lines) + "\n").encode()
    log.write_bytes(data)
    assert len(data) > scan_module.IN_PROCESS_BELOW
    for query in (Query("ERROR"), Query(r"job \d+7$", regex=True), Query("INFO", invert=True)):
        assert count_matches(str(log), query) == reference_count(data, query)
    fd = os.open(log, os.O_RDONLY)
    try:
        got = list(kept_lines(fd, str(log), Query("ERROR")))
    finally:
        os.close(fd)
    assert [line.text for line in got] == [t for t in lines if "ERROR" in t]
    assert all(w.alive() for w in shared_pool().workers())


def test_a_file_growing_or_rotated_during_the_scan(tmp_path: Path) -> None:
    """The scan covers the file as it was when it started, even if renamed under it."""
    log = tmp_path / "app.log"
    lines = [f"line {i} {'ERROR' if i % 10 == 0 else 'ok'}" for i in range(600_000)]
    data = ("\n".join(lines) + "\n").encode()
    log.write_bytes(data)
    expected = reference_count(data, Query("ERROR"))
    stop = threading.Event()

    def disturb() -> None:
        while not stop.is_set():
            with open(log, "ab") as handle:
                handle.write(b"appended ERROR\n" * 100)
            time.sleep(0.001)
        log.rename(tmp_path / "app.log.1")
        log.write_bytes(b"new ERROR\n")

    fd = os.open(log, os.O_RDONLY)
    try:
        thread = threading.Thread(target=disturb)
        thread.start()
        total = 0
        for piece in scan_module.scan(fd, str(log), Query("ERROR").spec(), 0, len(data)):
            total = piece.progress.matches
            stop.set()
        thread.join()
    finally:
        os.close(fd)
    assert total == expected


def test_a_scan_worker_killed_midway_is_replaced_by_scanning_here(tmp_path: Path) -> None:
    log = tmp_path / "big.log"
    lines = [f"line {i} {'ERROR' if i % 13 == 0 else 'ok'}" for i in range(700_000)]
    data = ("\n".join(lines) + "\n").encode()
    log.write_bytes(data)
    fd = os.open(log, os.O_RDONLY)
    try:
        total = 0
        for i, piece in enumerate(scan_module.scan(fd, str(log), Query("ERROR").spec())):
            total = piece.progress.matches
            if i == 1:  # the workers have jobs in hand: end them all
                for worker in shared_pool().workers():
                    worker.proc.kill()
    finally:
        os.close(fd)
    assert total == reference_count(data, Query("ERROR"))
    assert all(w.alive() for w in shared_pool().workers())  # fresh ones for the next scan
