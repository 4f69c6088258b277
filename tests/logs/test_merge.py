"""Several logs as one: merged by time, tagged, lines without a time kept with their line."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from console.core.logs.follow import FileFollower
from console.core.logs.merge import MergedReader
from console.core.logs.search import Query
from console.core.logs.timestamps import line_time, offset_since, parse_since

WEB = [
    "2024-05-01 10:00:00,100 INFO web: GET /",
    "2024-05-01 10:00:03,000 ERROR web: boom",
    "Traceback (most recent call last):",
    '  File "web.py", line 3, in handler',
    "ValueError: bad",
    "2024-05-01 10:00:06,000 INFO web: GET /health",
]
WORKER = [
    "[2024-05-01 10:00:01] worker.INFO: job 1",  # Monolog
    "[2024-05-01 10:00:04] worker.INFO: job 2",
    "  continuation of job 2",
]
JSON = [
    '{"ts": "2024-05-01T08:00:02Z", "level": "info", "msg": "a"}',  # UTC, +02:00 local below
    '{"ts": "2024-05-01T08:00:05.5Z", "level": "error", "msg": "b"}',
]


@pytest.fixture
def three_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.setenv("TZ", "Etc/GMT-2")  # local time is UTC+2: the JSON times fit between
    time.tzset()
    paths = []
    for name, lines in (("web", WEB), ("worker", WORKER), ("api", JSON)):
        path = tmp_path / f"{name}.log"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    yield paths
    monkeypatch.undo()
    time.tzset()


def _shown(batch) -> list[tuple[int | None, str]]:
    return [(line.source, line.text) for line in batch.lines]


def test_three_logs_in_time_order_with_untimed_lines_kept_in_place(three_logs) -> None:
    reader = MergedReader([FileFollower(str(p)) for p in three_logs], ["web", "worker", "api"])
    shown = _shown(reader.start(100))
    assert shown == [
        (0, WEB[0]),
        (1, WORKER[0]),
        (2, JSON[0]),
        (0, WEB[1]),
        (0, WEB[2]),  # the traceback stays under the error line
        (0, WEB[3]),
        (0, WEB[4]),
        (1, WORKER[1]),
        (1, WORKER[2]),
        (2, JSON[1]),
        (0, WEB[5]),
    ]
    assert _shown(reader.start(3)) == shown[-3:]
    with open(three_logs[1], "a") as handle:
        handle.write("[2024-05-01 10:00:08] worker.INFO: job 3\n")
    with open(three_logs[0], "a") as handle:
        handle.write("2024-05-01 10:00:07,000 INFO web: late\nno time here\n")
    assert _shown(reader.poll()) == [
        (0, "2024-05-01 10:00:07,000 INFO web: late"),
        (0, "no time here"),
        (1, "[2024-05-01 10:00:08] worker.INFO: job 3"),
    ]
    reader.close()


def test_a_filter_on_the_merged_view(three_logs) -> None:
    reader = MergedReader([FileFollower(str(p)) for p in three_logs], ["web", "worker", "api"])
    reader.start(10)
    results = list(reader.filtered(Query.preset("errors"), 10, lambda: False))
    lines, progress = results[-1]
    assert [(line.source, line.text) for line in lines] == [
        (0, WEB[1]),
        (0, WEB[2]),
        (0, WEB[3]),
        (0, WEB[4]),
        (2, JSON[1]),
    ]
    assert progress.done and progress.matches == 3
    reader.close()


def test_timestamps_in_common_formats() -> None:
    utc = line_time("2024-05-01T10:00:00Z x")
    assert utc is not None
    assert line_time("2024-05-01T12:00:00+02:00 x") == utc
    assert line_time('{"time": "2024-05-01T10:00:00.250Z"}') == utc + 0.25
    assert line_time("ts=2024-05-01T10:00:00.5Z level=info") == utc + 0.5
    assert line_time("no time") is None
    assert line_time("x" * 200 + " 2024-05-01 10:00:00") is None  # only near the start
    now = 1_700_000_000.0
    assert parse_since("10m", now) == now - 600
    assert parse_since("2h", now) == now - 7200
    with pytest.raises(ValueError):
        parse_since("soonish")


def test_since_finds_its_line_by_bisection(tmp_path: Path) -> None:
    log = tmp_path / "big.log"
    lines = []
    for i in range(100_000):
        lines.append(f"2024-05-01 {i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d} line {i}")
        if i % 7 == 0:
            lines.append("  continuation without a time")
    data = ("\n".join(lines) + "\n").encode()
    log.write_bytes(data)
    fd = os.open(log, os.O_RDONLY)
    try:
        since = parse_since("2024-05-01 12:34:56")
        offset = offset_since(fd, since, len(data))
        assert data[offset:].startswith(b"2024-05-01 12:34:56 line 45296\n")
        assert offset_since(fd, parse_since("2024-04-30 00:00"), len(data)) == 0
        assert offset_since(fd, parse_since("2024-05-02 00:00"), len(data)) == len(data)
    finally:
        os.close(fd)
