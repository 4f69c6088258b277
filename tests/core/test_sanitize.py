"""The sanitizer leaves no byte a terminal would obey."""

from __future__ import annotations

import re

import pytest

from console.core.sanitize import clean, clean_line, first_line

DANGEROUS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


@pytest.mark.parametrize(
    "hostile",
    [
        "\x1b[2J\x1b[H",  # clear screen
        "\x1b]0;owned\x07",  # set title
        "\x1b]52;c;ZWNobyBoaQ==\x07",  # clipboard write
        "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",  # hyperlink
        "\x9b31m",  # 8-bit CSI
        "\x9d0;t\x9c",  # 8-bit OSC
        "ok\rFAKE",  # lone CR rewrites the line
        "nul\x00byte\x7f",
    ],
)
def test_control_sequences_become_visible(hostile: str) -> None:
    shown = clean(hostile)
    assert not DANGEROUS.search(shown)
    assert "\\x" in shown


def test_invalid_utf8_becomes_replacement_char() -> None:
    assert clean(b"caf\xc3 \xff end") == "caf\ufffd \ufffd end"


def test_tab_and_plain_text_untouched() -> None:
    assert clean("a\tb [bold]x[/]") == "a\tb [bold]x[/]"


def test_long_text_is_cut_with_count() -> None:
    shown = clean("x" * 10_000, max_chars=100)
    assert shown == "x" * 100 + "…[+9900 bytes]"


def test_line_and_first_line() -> None:
    assert clean_line(b"hello\r\n") == "hello"
    assert first_line("Traceback:\n  boom\x1b[31m") == "Traceback:"
    assert first_line(None) == ""
