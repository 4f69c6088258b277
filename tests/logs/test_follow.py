"""The file follower: last lines, paging, and every rotation and truncation case (tail -F)."""

from __future__ import annotations

import os
from pathlib import Path

from console.core.logs.follow import FileFollower


def texts(batch) -> list[str]:
    return [line.text for line in batch.lines]


def write(path: Path, text: str, mode: str = "a") -> None:
    with open(path, mode) as handle:
        handle.write(text)


def numbered(first: int, last: int) -> str:
    return "".join(f"line {i}\n" for i in range(first, last))


def test_last_lines_and_the_unterminated_tail(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write(log, numbered(0, 1000) + "half")
    follower = FileFollower(str(log))
    batch = follower.start(3)
    assert texts(batch) == ["line 997", "line 998", "line 999"]
    assert batch.partial == "half"
    write(log, " done\nnext\n")
    assert texts(follower.poll()) == ["half done", "next"]


def test_paging_back_and_forth_by_offsets(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write(log, numbered(0, 100))
    follower = FileFollower(str(log))
    last = follower.start(10)
    before = follower.read_before(last.start, 5)
    assert texts(before) == [f"line {i}" for i in range(85, 90)]
    assert texts(follower.read_after(0, 2)) == ["line 0", "line 1"]
    assert texts(follower.read_before(before.start, 1000))[0] == "line 0"


def test_rename_rotation_loses_no_line(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write(log, numbered(0, 5))
    follower = FileFollower(str(log))
    follower.start(5)
    write(log, numbered(5, 8))  # written before the rename, never polled
    os.rename(log, tmp_path / "app.log.1")
    write(log, numbered(8, 10), "w")
    got = texts(follower.poll())
    assert got == [*(f"line {i}" for i in range(5, 8)), got[3], "line 8", "line 9"]
    assert "rotated" in got[3]


def test_copy_truncate_shrinking(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write(log, numbered(0, 50))
    follower = FileFollower(str(log))
    follower.start(1)
    os.truncate(log, 0)
    write(log, "fresh\n")
    got = texts(follower.poll())
    assert "truncated" in got[0] and got[1:] == ["fresh"]


def test_copy_truncate_regrown_past_the_old_offset(tmp_path: Path) -> None:
    """Size alone misses this: the head fingerprint catches it."""
    log = tmp_path / "app.log"
    write(log, "2024-01-01 first\n")
    follower = FileFollower(str(log))
    follower.start(1)
    os.truncate(log, 0)
    write(log, numbered(0, 20))  # now larger than before
    got = texts(follower.poll())
    assert "truncated" in got[0]
    assert got[1:] == [f"line {i}" for i in range(20)]


def test_clear_unlink_and_recreate(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write(log, numbered(0, 3))
    follower = FileFollower(str(log))
    follower.start(3)
    write(log, "last words\n")
    log.unlink()
    write(log, "after clear\n", "w")
    got = texts(follower.poll())
    assert got[0] == "last words" and "rotated" in got[1] and got[2] == "after clear"


def test_missing_file_then_appearing(tmp_path: Path) -> None:
    log = tmp_path / "later.log"
    follower = FileFollower(str(log))
    assert ["waiting for file" in t for t in texts(follower.start(10))] == [True]
    assert texts(follower.poll()) == []  # said once, not on every poll
    write(log, "hello\n")
    got = texts(follower.poll())
    assert "file appeared" in got[0] and got[1:] == ["hello"]


def test_removed_file_waits_then_follows_the_new_one(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write(log, "one\n")
    follower = FileFollower(str(log))
    follower.start(1)
    write(log, "two\n")
    log.unlink()
    got = texts(follower.poll())
    assert got[0] == "two" and "removed" in got[1] and "waiting" in got[2]
    write(log, "three\n", "w")
    assert texts(follower.poll())[1:] == ["three"]


def test_a_huge_line_is_capped_and_never_held_whole(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write(log, "before\n")
    follower = FileFollower(str(log), cap=1000)
    follower.start(1)
    with open(log, "ab") as handle:
        handle.write(b"x" * 10_000_000)
    partial = follower.poll().partial
    assert partial is not None and len(partial) < 1100 and partial.endswith("bytes]")
    assert len(follower._splitter._head) <= 1001
    write(log, "\nafter\n")
    got = texts(follower.poll())
    assert got[0].startswith("x" * 1000) and got[0].endswith(" bytes]") and len(got[0]) < 1100
    assert got[-1] == "after"


def test_far_behind_skips_ahead_and_says_so(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write(log, "start\n")
    follower = FileFollower(str(log), max_read=1000)
    follower.start(1)
    write(log, numbered(0, 1000))
    got = texts(follower.poll())
    assert got[0].startswith("── skipped") and got[-1] == "line 999"


def test_hostile_bytes_come_out_visible(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(b"\x1b]52;c;aGk=\x07 \x9b2J \x00 \xff\xfe [bold]x[/]\r\n")
    line = texts(FileFollower(str(log)).start(1))[0]
    assert "\x1b" not in line and "\x9b" not in line and "\x00" not in line
    assert "\\x1b]52" in line and "\ufffd" in line and "[bold]x[/]" in line
