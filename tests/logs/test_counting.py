"""Counting lines that hold literal needles: memchr a line at a time (sparse needles) and C
counting checked by RE2 (dense ones) agree with counting line by line, on awkward blocks."""

from __future__ import annotations

import pytest

from console.core.logs.counting import Counted, count_any, count_one, counted

BLOCKS = [
    b"x ERROR y\nERROR ERROR\nnone\nERRORERROR\nlast ERROR",  # twice on a line, no final newline
    b"ERROR\n\n\nERROR\n",
    b"\n".join(b"DEBUG line %d" % i if i % 3 else b"ERROR %d ERROR" % i for i in range(200)),
    b"aaa\naa\na\naaaa aa\n",  # a needle that overlaps itself
    b"caf\xc3\xa9 \xff\xfe ERROR\r\nnul \x00 ERROR\ncaf\xc3\xa9\n",
    b"",
]
NEEDLES = [b"ERROR", b"aa", "café".encode(), b"\x00 ERR", b"R"]


def reference(data: bytes, end: int, needles: list[bytes]) -> int:
    return sum(any(n in line for n in needles) for line in data[:end].split(b"\n"))


@pytest.mark.parametrize("data", BLOCKS)
@pytest.mark.parametrize("needle", NEEDLES)
@pytest.mark.parametrize("sparse", [True, False], ids=["memchr", "count"])
def test_one_needle_counts_each_line_once(data: bytes, needle: bytes, sparse: bool) -> None:
    for end in (len(data), max(0, len(data) - 3)):
        for at in range(len(needle)):
            got = count_one(data, end, Counted(needle, at, sparse))
            assert got == reference(data, end, [needle]), (needle, at, end)


@pytest.mark.parametrize("data", BLOCKS)
def test_several_needles_count_a_line_holding_two_once(data: bytes) -> None:
    needles = [b"ERROR", b"aa", b"none", "café".encode()]
    ways = [counted(n, b"") for n in needles]  # an empty sample: every needle is sparse
    assert count_any(data, len(data), ways) == reference(data, len(data), needles)
    dense = [Counted(b"ERROR", 0, False), Counted(b"aa", 0, True)]
    assert count_any(data, len(data), dense) is None  # left to the caller's C path


def test_the_sample_decides_how_a_needle_is_counted() -> None:
    sample = b"INFO all fine\n" * 90 + b"ERROR once\n"
    assert counted(b"ERROR", sample) == Counted(b"ERROR", 0, True)  # 'E': once in ~1,300
    assert counted(b"INFO", sample).sparse is False  # its rarest byte is on every line
