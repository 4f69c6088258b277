"""Counting lines that hold literal needles: the C helper (_linecount.c), and without it memchr
a line at a time (sparse needles) and C counting checked by RE2 (dense ones), agree with
counting line by line, on awkward blocks."""

from __future__ import annotations

import pytest

from console.core.logs import counting
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


@pytest.fixture(autouse=True, params=["c", "python"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test twice: with the C helper, and with the Python ways it replaces."""
    if request.param == "c" and counting._count_in_c is None:
        pytest.skip("the C helper is not built (no compiler at install)")
    if request.param == "python":
        monkeypatch.setattr(counting, "_count_in_c", None)
    return request.param


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
def test_several_needles_count_a_line_holding_two_once(data: bytes, way: str) -> None:
    needles = [b"ERROR", b"aa", b"none", "café".encode()]
    ways = [counted(n, b"") for n in needles]  # an empty sample: every needle is sparse
    for end in (len(data), max(0, len(data) - 3)):
        assert count_any(data, end, ways) == reference(data, end, needles)
    dense = [Counted(b"ERROR", 0, False), Counted(b"aa", 0, True)]
    if way == "python":
        assert count_any(data, len(data), dense) is None  # left to the caller's C path
    else:
        assert count_any(data, len(data), dense) == reference(data, len(data), [b"ERROR", b"aa"])


def test_stale_bytes_past_the_end_are_not_read(way: str) -> None:
    """segment.py reads blocks into one reused buffer: what lies past `end` is the last block's."""
    data = bytearray(b"one ERROR\ntwo\nERROR stale ERROR\n")
    end = data.index(b"two\n") + 4
    assert count_one(data, end, Counted(b"ERROR", 0, True)) == 1
    assert count_one(data, end - 1, Counted(b"ERROR", 4, False)) == 1
    ways = [Counted(b"ERROR", 1, True), Counted(b"two", 2, True)]
    assert count_any(data, end, ways) == 2
    assert count_any(data, end - 2, ways) == 1  # "tw|o": the needle would cross the end
    assert count_any(data, 6, ways) == 0  # "one ER|ROR"


def test_the_sample_decides_how_a_needle_is_counted() -> None:
    sample = b"INFO all fine\n" * 90 + b"ERROR once\n"
    assert counted(b"ERROR", sample) == Counted(b"ERROR", 0, True)  # 'E': once in ~1,300
    assert counted(b"INFO", sample).sparse is False  # its rarest byte is on every line
