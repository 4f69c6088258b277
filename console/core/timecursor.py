"""The time cursor: what the operator types to look at a past time, its step, and its label.

UI-free: the console's cursor input, `stackwatch status --at` and `stackwatch events --since`
share one parser, so `03:12`, `-2h`, `-30m`, `yesterday 14:00` and ISO dates mean the same
everywhere. A bad input is a `TimeInputError` whose text is one line.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.core.formatting import ago

LIVE_WORDS = frozenset({"now", "live", ""})
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_RELATIVE = re.compile(r"(?:(\d+)\s*([smhdw])\s*)+")
_PART = re.compile(r"(\d+)\s*([smhdw])")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_DAY_WORDS = {"today": 0, "yesterday": 1}
HINT = "try 03:12, -2h, -30m, yesterday 14:00, 2026-12-01 03:12 or now"
# (chart span up to, cursor step): a step is a few percent of what the chart shows
_STEPS = ((3600, 300), (86400, 3600), (7 * 86400, 6 * 3600), (float("inf"), 86400))


class TimeInputError(ValueError):
    """A time that cannot be read; its text is a single line for the screen or stderr."""


def parse_at(text: str, now: float, tz: tzinfo) -> float | None:
    """Seconds since the epoch for `text`, or None for live (`now`, `live`, empty).

    `-2h`, `-1h30m`, `2h ago`: before now. `03:12`: its latest occurrence (today, or
    yesterday when that is still to come). `yesterday 14:00`, `today 9:00`, `yesterday`.
    ISO 8601 dates and times (`2026-12-01`, `2026-12-01 03:12`, `…T03:12:00Z`, offsets);
    without a zone they are in `tz`. A time after `now` is refused.
    """
    raw = " ".join(text.split()).lower()
    if raw in LIVE_WORDS:
        return None
    found = _relative(raw, now)
    if found is None:
        found = _wall_clock(raw, now, tz)
    if found is None:
        found = _iso(raw, tz)
    if found is None:
        raise TimeInputError(f"not a time: {_quote(text)} ({HINT})")
    if found > now + 1:
        raise TimeInputError(f"{_quote(text)} is in the future: the cursor looks back only")
    return found


def _quote(text: str) -> str:
    shown = text.strip()
    return repr(shown[:40] + "…" if len(shown) > 40 else shown)


def _relative(raw: str, now: float) -> float | None:
    """`-2h`, `-1h30m`, `90m`, `2h ago`: a span before now."""
    body = raw.removesuffix(" ago").removeprefix("-").strip()
    if not _RELATIVE.fullmatch(body):
        return None
    seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(body))
    return now - seconds


def _wall_clock(raw: str, now: float, tz: tzinfo) -> float | None:
    """`03:12`, `today 03:12`, `yesterday 14:00`, `yesterday` (its midnight)."""
    word, _, rest = raw.partition(" ")
    back = _DAY_WORDS.get(word)
    clock = rest if back is not None else raw
    if back is not None and not clock:
        clock = "00:00"
    match = _CLOCK.fullmatch(clock)
    if match is None:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise TimeInputError(f"not a time of day: {_quote(clock)} ({HINT})")
    today = dt.datetime.fromtimestamp(now, tz).date()
    day = today - dt.timedelta(days=back or 0)
    moment = dt.datetime.combine(day, dt.time(hour, minute, second), tz).timestamp()
    if back is None and moment > now:  # a bare time still to come today: yesterday's
        day -= dt.timedelta(days=1)
        moment = dt.datetime.combine(day, dt.time(hour, minute, second), tz).timestamp()
    return moment


def _iso(raw: str, tz: tzinfo) -> float | None:
    text = raw.upper().replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.timestamp()


def zone_of(name: str) -> tzinfo:
    """The settings' timezone name as a zone (UTC when it names none)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def step_for(span_s: float) -> int:
    """How far `[` / `]` move the cursor when the chart shows `span_s` seconds."""
    return next(step for limit, step in _STEPS if span_s <= limit)


def stepped(at: float | None, seconds: float, now: float) -> float | None:
    """The cursor moved by `seconds` (negative: back); None (live) once it reaches now."""
    start = now if at is None else at
    moved = start + seconds
    return None if moved >= now else moved


def label(at: float, now: float, tz: tzinfo) -> str:
    """`AT 03:12 (2h ago)`; with the date when it is not today: `AT 11-30 03:12 (1d ago)`."""
    moment = dt.datetime.fromtimestamp(at, tz)
    same_day = moment.date() == dt.datetime.fromtimestamp(now, tz).date()
    clock = moment.strftime("%H:%M" if same_day else "%m-%d %H:%M")
    if moment.year != dt.datetime.fromtimestamp(now, tz).year:
        clock = moment.strftime("%Y-%m-%d %H:%M")
    return f"AT {clock} ({ago(max(0.0, now - at))})"
