"""The cursor's time input: every accepted form, the refusals, the step and the label."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from console.core.timecursor import TimeInputError, label, parse_at, step_for, stepped

TZ = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 2, 10, 30, tzinfo=TZ).timestamp()


def at(*parts: int) -> float:
    return dt.datetime(*parts, tzinfo=TZ).timestamp()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-2h", NOW - 7200),
        ("-30m", NOW - 1800),
        ("-1h30m", NOW - 5400),
        ("90s", NOW - 90),
        ("2h ago", NOW - 7200),
        ("-1d", NOW - 86400),
        ("03:12", at(2026, 12, 2, 3, 12)),
        ("23:00", at(2026, 12, 1, 23, 0)),  # still to come today: yesterday's
        ("10:30:00", NOW),
        ("yesterday 14:00", at(2026, 12, 1, 14, 0)),
        ("Yesterday  14:00", at(2026, 12, 1, 14, 0)),
        ("yesterday", at(2026, 12, 1, 0, 0)),
        ("today 9:05", at(2026, 12, 2, 9, 5)),
        ("2026-11-30", at(2026, 11, 30)),
        ("2026-11-30 03:12", at(2026, 11, 30, 3, 12)),
        ("2026-11-30T03:12:05", at(2026, 11, 30, 3, 12, 5)),
        ("2026-11-30T02:12:00Z", at(2026, 11, 30, 3, 12)),
        ("2026-11-30T05:12:00+03:00", at(2026, 11, 30, 3, 12)),
    ],
)
def test_accepted_forms(text: str, expected: float) -> None:
    assert parse_at(text, NOW, TZ) == expected


@pytest.mark.parametrize("text", ["now", "live", "", "  NOW "])
def test_live_words(text: str) -> None:
    assert parse_at(text, NOW, TZ) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("soonish", "not a time"),
        ("25:00", "not a time of day"),
        ("12:61", "not a time of day"),
        ("tomorrow 10:00", "not a time"),
        ("2026-13-01", "not a time"),
        ("2027-01-01", "in the future"),
        ("x" * 500, "not a time"),
        ("-2h\n[red]x", "not a time"),
    ],
)
def test_bad_input_is_one_line(text: str, words: str) -> None:
    with pytest.raises(TimeInputError) as caught:
        parse_at(text, NOW, TZ)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message and len(message) < 160


def test_step_suits_the_chart_range() -> None:
    assert step_for(3600) == 300
    assert step_for(86400) == 3600
    assert step_for(7 * 86400) == 6 * 3600
    assert step_for(30 * 86400) == 86400


def test_stepping_back_then_forward_to_live() -> None:
    back = stepped(None, -300, NOW)
    assert back == NOW - 300
    assert stepped(back, -300, NOW) == NOW - 600
    assert stepped(back, 300, NOW) is None  # reaching now is live again
    assert stepped(NOW - 600, 300, NOW) == NOW - 300


def test_label() -> None:
    assert label(NOW - 7200, NOW, TZ) == "AT 08:30 (2h ago)"
    assert label(at(2026, 11, 30, 3, 12), NOW, TZ) == "AT 11-30 03:12 (2d ago)"
    assert label(at(2025, 11, 30, 3, 12), NOW, TZ).startswith("AT 2025-11-30 03:12")
