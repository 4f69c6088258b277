"""The supervisord tail source: shrink, overflow, real rotation; and the file reader beside it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from supervisor.options import readFile, tailFile

from console.core.logs.follow import FileFollower
from console.core.logs.rpc_tail import CHUNK, RpcTail
from console.core.logs.sources import load_sources, open_reader
from console.core.logs.supervisor_rpc import list_programs, make_client, read_call, tail_call
from console.core.settings import Settings, SupervisorEndpoint
from tests.support.supervisord import Program

WRITER = str(Path(__file__).with_name("writer.py"))


def local_tail(path: Path) -> RpcTail:
    """supervisord's own tailFile/readFile over a local file: its real semantics, no server."""
    return RpcTail(
        "x",
        lambda _n, offset, length: tuple(tailFile(str(path), offset, length)),
        lambda _n, offset, length: readFile(str(path), offset, length).decode(),
    )


def texts(batch) -> list[str]:
    return [line.text for line in batch.lines]


def test_shrink_rereads_the_new_file_from_its_start(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("".join(f"old {i}\n" for i in range(100)))
    tail = local_tail(log)
    assert texts(tail.start(2)) == ["old 98", "old 99"]
    log.rename(tmp_path / "x.log.1")
    log.write_text("new 0\nnew 1\n")
    got = texts(tail.poll())
    assert "rotated" in got[0] and got[1:] == ["new 0", "new 1"]


def test_rotation_regrown_past_the_old_offset_is_noticed(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("old 0\n")
    tail = local_tail(log)
    tail.start(5)
    log.unlink()
    log.write_text("".join(f"new {i}\n" for i in range(10)))
    got = texts(tail.poll())
    assert "rotated" in got[0] and got[1:] == [f"new {i}" for i in range(10)]


def test_overflow_says_how_much_was_skipped(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("first\n")
    tail = local_tail(log)
    tail.start(1)
    line = "y" * 99 + "\n"
    with open(log, "a") as handle:
        handle.write(line * (CHUNK // 100 + 500))
    got = texts(tail.poll())
    size = log.stat().st_size
    assert got[0] == f"── skipped {size - CHUNK - 6} bytes ──"
    assert all(text == "y" * 99 for text in got[1:])


def _numbers(lines: list[str]) -> list[int | None]:
    return [int(t.split()[1]) if t.startswith("line ") else None for t in lines]


def _collect(reader, seconds: float) -> list[str]:
    seen = [line.text for line in reader.start(5).lines]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.05)
        seen.extend(line.text for line in reader.poll().lines)
    return seen


def test_real_supervisord_rotation_through_rpc_and_file(supervisord_factory) -> None:
    options = {"stdout_logfile_maxbytes": "2KB", "stdout_logfile_backups": "3"}
    sv = supervisord_factory([Program("w", f"{sys.executable} {WRITER} 100000 0.005", options)])
    sv.wait_for_state("w", {"RUNNING"})
    proxy = make_client(SupervisorEndpoint("t", sv.url), 3.0)
    rpc = RpcTail("w", tail_call(proxy, "stdout"), read_call(proxy, "stdout"))
    via_rpc = _collect(rpc, 1.5)
    via_file = _collect(FileFollower(str(sv.logdir / "w.out.log")), 1.5)

    # The file reader drains the renamed file: every line, in order, across rotations.
    numbers = [n for n in _numbers(via_file) if n is not None]
    assert sum("rotated" in t for t in via_file) >= 2
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))

    # Through RPC the renamed file is out of reach, but every gap sits at a rotation marker,
    # and the lines of the new file since the rotation are there.
    marks = _numbers(via_rpc)
    assert sum("rotated" in t for t in via_rpc) >= 2
    for prev, cur, nxt in zip(marks, marks[1:], marks[2:], strict=False):
        if prev is not None and cur is not None:
            assert cur == prev + 1
        if cur is None and prev is not None and nxt is not None:
            assert nxt > prev


def test_clear_through_rpc(supervisord_factory) -> None:
    sv = supervisord_factory([Program("w", f"{sys.executable} {WRITER} 100000 0.02")])
    sv.wait_for_state("w", {"RUNNING"})
    proxy = make_client(SupervisorEndpoint("t", sv.url), 3.0)
    rpc = RpcTail("w", tail_call(proxy, "stdout"), read_call(proxy, "stdout"))
    rpc.start(5)
    time.sleep(0.3)
    rpc.poll()
    sv.rpc().supervisor.clearProcessLogs("w")
    seen: list[str] = []

    def cleared_and_writing() -> bool:
        marks = [i for i, text in enumerate(seen) if "rotated" in text]
        return bool(marks) and any(n is not None for n in _numbers(seen[marks[0] + 1 :]))

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not cleared_and_writing():
        time.sleep(0.1)
        seen.extend(texts(rpc.poll()))
    assert cleared_and_writing()


def test_sources_say_when_stderr_is_redirected(supervisord_factory) -> None:
    sv = supervisord_factory(
        [
            Program("r", "sh -c 'echo out; echo err >&2; sleep 60'", {"redirect_stderr": "true"}),
            Program("s", "sh -c 'echo to-err >&2; sleep 60'"),
        ]
    )
    sv.wait_for_state("r", {"RUNNING"})
    endpoint = SupervisorEndpoint("t", sv.url)
    sources, problems = load_sources(Settings(supervisors=(endpoint,)))
    assert problems == []
    by_name = {s.program: s for s in sources if s.kind == "program"}
    assert by_name["r"].with_stream("stderr").note == "(stderr redirected to stdout)"
    assert by_name["s"].with_stream("stderr").note is None
    assert {p.name for p in list_programs(endpoint, 3.0)} == {"r", "s"}
    settings = Settings(supervisors=(endpoint,))
    reader = open_reader(by_name["s"].with_stream("stderr"), settings)
    assert isinstance(reader, FileFollower)  # local and readable: the file, not the RPC
    deadline = time.monotonic() + 10
    while "to-err" not in texts(reader.start(5)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "to-err" in texts(reader.start(5))


def test_unreachable_supervisord_is_a_problem_line(tmp_path: Path) -> None:
    endpoint = SupervisorEndpoint("gone", f"unix://{tmp_path}/nothing.sock")
    sources, problems = load_sources(Settings(supervisors=(endpoint,)))
    assert sources[0].kind == "main" and problems[0].startswith("gone: unreachable")


def _rotating_tail(tmp_path: Path, rotate_on_read: list[int]) -> tuple[RpcTail, Path]:
    """A tail whose file is rotated just before the read calls numbered in rotate_on_read."""
    log = tmp_path / "x.log"
    log.write_text("".join(f"old {i}\n" for i in range(50)))
    calls = [0]

    def read(_n: str, offset: int, length: int) -> str:
        calls[0] += 1
        if calls[0] in rotate_on_read:
            log.rename(tmp_path / f"x.log.{calls[0]}")
            log.write_text("".join(f"new {calls[0]} {i}\n" for i in range(30)))
        return readFile(str(log), offset, length).decode()

    return RpcTail("x", lambda _n, o, n: tuple(tailFile(str(log), o, n)), read), log


@pytest.mark.parametrize("rotate_on", [1, 2, 3, 4])
def test_rotation_between_two_calls_repeats_no_line(tmp_path: Path, rotate_on: int) -> None:
    """supervisord may rotate between our size call and our read: no line is shown twice."""
    tail, log = _rotating_tail(tmp_path, [rotate_on])
    seen = texts(tail.start(5))
    with open(log, "a") as handle:
        handle.write("old 50\n")
    for _ in range(4):
        seen.extend(texts(tail.poll()))
    lines = [text for text in seen if "rotated" not in text]
    assert len(lines) == len(set(lines)), seen
    new = [int(text.split()[2]) for text in lines if text.startswith("new")]
    # In order, none twice, up to the end of the new file (all of it when rotated after start).
    assert new == list(range(new[0], 30)) and (rotate_on <= 2 or new[0] == 0), seen
