"""Finding the first log line at or after a time: every stamp format, and the bisection over
files with unstamped lines, no final newline, huge lines; checked against a plain scan."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest

from console.core.logs.stamps import line_time
from console.core.logs.timejump import BLOCK, first_at

UTC = dt.UTC
T0 = dt.datetime(2026, 12, 1, 3, 12, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2026-12-01T03:12:00Z GET /", T0),
        ("2026-12-01T03:12:00.250+00:00 x", T0 + 0.25),
        ("2026-12-01T05:12:00+02:00 x", T0),
        ("2026-12-01 03:12:00,123 INFO spawned: 'web' with pid 42", T0 + 0.123),  # supervisord
        ("2026-12-01 03:12:00,500 - app.jobs - ERROR - boom", T0 + 0.5),  # Python logging
        ('[2026-12-01 03:12:00] production.ERROR: boom {"x":1}', T0),  # Laravel/Monolog
        ("[2026-12-01T03:12:00.000000+00:00] app.INFO: ok [] []", T0),  # Monolog ISO
        ("Dec  1 03:12:00 web1 cron[123]: (root) CMD", T0),  # BSD syslog
        ("<34>Dec  1 03:12:00 web1 su: fail", T0),
        ("<165>1 2026-12-01T03:12:00Z web1 app - - - hi", T0),  # RFC 5424
        ('{"level":"info","msg":"a long message first","time":"2026-12-01T03:12:00Z"}', T0),
        (f'{{"ts": {T0 + 0.5}, "msg": "x"}}', T0 + 0.5),
        (f'{{"timestamp": {int(T0 * 1000)}, "msg": "ms"}}', T0),
        ('{"@timestamp":"2026-12-01T03:12:00Z"}', T0),
        ("ts=2026-12-01T03:12:00Z level=info", T0),
        ('10.0.0.1 - - [01/Dec/2026:04:12:00 +0100] "GET / HTTP/1.1" 200', T0),
    ],
)
def test_formats(line: str, expected: float) -> None:
    assert line_time(line, UTC, ref=T0 + 60) == pytest.approx(expected)
    assert line_time(line.encode(), UTC, ref=T0 + 60) == pytest.approx(expected)


@pytest.mark.parametrize(
    "line",
    [
        "Traceback (most recent call last):",
        '  File "x.py", line 1',
        "",
        '{"msg": "no time"}',
        "2026-13-45 03:12:00 not a date",
        "x" * 200 + " 2026-12-01 03:12:00",
    ],
)
def test_not_stamped(line: str) -> None:
    assert line_time(line, UTC) is None


def test_syslog_year_is_the_latest_not_after_ref() -> None:
    january = dt.datetime(2027, 1, 2, tzinfo=UTC).timestamp()
    found = line_time("Dec 31 23:00:00 h p: x", UTC, ref=january)
    assert found == dt.datetime(2026, 12, 31, 23, tzinfo=UTC).timestamp()


def stamp(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S,%f")[:-3]


def write_log(path: Path, lines: list[str], final_newline: bool = True) -> list[int]:
    """Write lines; return each line's start offset."""
    offsets, pos = [], 0
    with path.open("wb") as f:
        for i, line in enumerate(lines):
            offsets.append(pos)
            data = line.encode() + (b"\n" if final_newline or i < len(lines) - 1 else b"")
            f.write(data)
            pos += len(data)
    return offsets


def plain_scan(lines: list[str], offsets: list[int], at: float, size: int) -> int:
    for line, offset in zip(lines, offsets, strict=True):
        found = line_time(line, UTC)
        if found is not None and found >= at:
            return offset
    return size


def jump(path: Path, at: float) -> int:
    fd = os.open(path, os.O_RDONLY)
    try:
        return first_at(fd, at, tz=UTC)
    finally:
        os.close(fd)


def mixed_log(rng: random.Random, n: int) -> list[str]:
    """Stamped lines a second apart, with tracebacks and blank lines between some."""
    lines = []
    for i in range(n):
        lines.append(f"{stamp(T0 + i)} INFO line {i} " + "y" * rng.randrange(0, 300))
        if rng.random() < 0.1:
            lines += ["Traceback (most recent call last):", '  File "a.py", line 3', ""]
    return lines


@pytest.mark.parametrize("final_newline", [True, False])
def test_bisection_matches_a_plain_scan(tmp_path: Path, final_newline: bool) -> None:
    rng = random.Random(7)
    lines = mixed_log(rng, 4000)
    path = tmp_path / "app.log"
    offsets = write_log(path, lines, final_newline)
    size = path.stat().st_size
    assert size > 8 * 65536  # big enough that the search halves several times
    for at in [T0 - 10, T0, T0 + 0.5, T0 + 1234, T0 + 2999.9, T0 + 3999, T0 + 4000, T0 + 9e6]:
        assert jump(path, at) == plain_scan(lines, offsets, at, size), at


def test_the_last_line_without_newline_is_found(tmp_path: Path) -> None:
    lines = [f"{stamp(T0 + i)} x" for i in range(50_000)]
    path = tmp_path / "tail.log"
    offsets = write_log(path, lines, final_newline=False)
    assert jump(path, T0 + 49_999) == offsets[-1]


def test_a_huge_line_is_skipped_over(tmp_path: Path) -> None:
    lines = [f"{stamp(T0 + i)} before {i}" for i in range(3000)]
    lines.append(f"{stamp(T0 + 3000)} huge " + "z" * (5 * BLOCK * 20))  # ~1.6 MB, one line
    lines += [f"{stamp(T0 + 3001 + i)} after {i}" for i in range(3000)]
    path = tmp_path / "huge.log"
    offsets = write_log(path, lines)
    size = path.stat().st_size
    for at in (T0 + 10, T0 + 2999, T0 + 3000, T0 + 3000.5, T0 + 3001, T0 + 5000, T0 + 7000):
        assert jump(path, at) == plain_scan(lines, offsets, at, size), at


def test_a_file_with_no_stamps_or_empty(tmp_path: Path) -> None:
    path = tmp_path / "plain.log"
    write_log(path, ["no time here"] * 100_000)
    assert jump(path, T0) == path.stat().st_size
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    assert jump(empty, T0) == 0


@pytest.mark.parametrize("kind", ["syslog", "json", "monolog"])
def test_other_formats_bisect(tmp_path: Path, kind: str) -> None:
    def fmt(ts: float, i: int) -> str:
        moment = dt.datetime.fromtimestamp(ts, UTC)
        if kind == "syslog":
            return moment.strftime("%b %e %H:%M:%S") + f" web1 app[1]: message {i}"
        if kind == "json":
            return f'{{"level":"info","msg":"event {i}","ts":{ts}}}'
        return "[" + moment.strftime("%Y-%m-%d %H:%M:%S") + f"] production.INFO: job {i} []"

    lines = [fmt(T0 + i, i) for i in range(20_000)]
    path = tmp_path / f"{kind}.log"
    offsets = write_log(path, lines)
    os.utime(path, (T0 + 30_000, T0 + 30_000))  # syslog's year comes from the file's time
    for i in (0, 1, 7777, 19_999):
        assert jump(path, T0 + i) == offsets[i]


def test_readers_jump_and_merged_logs_jump_together(tmp_path: Path) -> None:
    """A followed file and two merged ones start at the first line at or after the time."""
    from console.core.logs.follow import FileFollower
    from console.core.logs.merge import MergedReader

    even, odd = tmp_path / "even.log", tmp_path / "odd.log"
    write_log(even, [f"{stamp(T0 + i)}Z even {i}" for i in range(0, 40_000, 2)])
    write_log(odd, [f"{stamp(T0 + i)}Z odd {i}" for i in range(1, 40_000, 2)])
    one = FileFollower(str(even))
    one.start(10)
    assert [line.text.split()[-1] for line in one.read_at(T0 + 1001, 3).lines] == [
        "1002", "1004", "1006",
    ]  # fmt: skip
    readers = [FileFollower(str(even)), FileFollower(str(odd))]
    merged = MergedReader(readers, ["even", "odd"])
    merged.start(10)
    batch = merged.read_at(T0 + 30_001, 4)
    assert [line.text.split()[-1] for line in batch.lines] == ["30001", "30002", "30003", "30004"]
    assert batch.note is None
    merged.close()
    one.close()


def test_supervisord_logs_jump_through_its_read_call(tmp_path: Path) -> None:
    """supervisord's own tailFile/readFile over a file: its real semantics, bisected."""
    from supervisor.options import readFile, tailFile

    from console.core.logs.rpc_tail import RpcTail

    log = tmp_path / "prog.log"
    write_log(log, [f"{stamp(T0 + i)}Z prog {i}" for i in range(60_000)])
    calls: list[int] = []

    def read(_name: str, offset: int, length: int) -> str:
        calls.append(length)
        return readFile(str(log), offset, length).decode()

    tail = RpcTail("prog", lambda _n, o, n: tuple(tailFile(str(log), o, n)), read)
    tail.start(5)
    calls.clear()
    batch = tail.read_at(T0 + 41_234.5, 3)
    assert [line.text.split()[-1] for line in batch.lines] == ["41235", "41236", "41237"]
    assert sum(calls) < log.stat().st_size // 2  # a few reads, not the whole log
    no_read = RpcTail("prog", lambda _n, o, n: tuple(tailFile(str(log), o, n)))
    assert not no_read.read_at(T0, 3).lines and "cannot jump" in no_read.read_at(T0, 3).note
