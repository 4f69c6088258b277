"""How stackwatch writes ages, durations, bytes, rates, trends and clock times: one module for
the console and the command line alike, so the same value reads the same everywhere.

Style: compact units with no space for tables ("45s", "5m12s", "2h05m", "3d04h", "52.4M",
"1.2M/s"), and the long form with a space where there is room ("1.5 GiB", "1.2 MiB/s").
A missing value is "-".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MISSING = "-"
_UNITS_LONG = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")
_UNITS_SHORT = ("B", "K", "M", "G", "T", "P")


def span(seconds: float | None, precise: bool = True) -> str:
    """A duration: precise in two units (45s, 5m12s, 2h05m, 3d04h), or rough in one (45s, 5m,
    2h, 3d: for ages that tick live, so the words change seldom)."""
    if seconds is None:
        return MISSING
    s = max(0, int(seconds))
    if not precise:
        return _rough(s)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    if s < 86400:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 86400}d{s % 86400 // 3600:02d}h"


def _rough(s: int) -> str:
    if s < 90:
        return f"{s}s"
    if s < 90 * 60:
        return f"{s // 60}m"
    if s < 36 * 3600:
        return f"{s // 3600}h"
    return f"{s // 86400}d"


def ago(seconds: float | None, never: str = "never") -> str:
    """How long ago, roughly: '45s ago', '5m ago', '2h ago'; `never` when there is no time."""
    return never if seconds is None else f"{span(seconds, precise=False)} ago"


def age_of(ts: float | None, now: float) -> float | None:
    """How old a timestamp is (never negative: the clocks of two hosts may disagree a little)."""
    return None if ts is None else max(0.0, now - ts)


def millis(ms: float | None) -> str:
    """A short duration given in milliseconds: 35ms, 1.2s, then as `span` past two minutes."""
    if ms is None:
        return MISSING
    if ms < 1000:
        return f"{ms:.0f}ms"
    return f"{ms / 1000:.1f}s" if ms < 120_000 else span(ms / 1000)


def size(value: float | None, compact: bool = False) -> str:
    """Bytes in binary units: '1.5 GiB', or '1.5G' when compact."""
    if value is None:
        return MISSING
    units = _UNITS_SHORT if compact else _UNITS_LONG
    gap = "" if compact else " "
    amount = float(value)
    for unit in units:
        if abs(amount) < 1024 or unit == units[-1]:
            shown = f"{amount:.0f}" if unit == "B" else f"{amount:.1f}"
            if compact:
                shown = shown.removesuffix(".0")  # '31K', not '31.0K': few cells
            return f"{shown}{gap}{unit}"
        amount /= 1024
    raise AssertionError("unreachable: the loop returns on the last unit")


def rate(value: float | None, compact: bool = False) -> str:
    """Bytes per second: '1.2 MiB/s', or '1.2M/s' when compact."""
    return MISSING if value is None else f"{size(value, compact)}/s"


def number(value: float | None, digits: int = 1) -> str:
    """A number: thousands grouped past 1000, trailing zeros dropped; '-' when missing."""
    if value is None:
        return MISSING
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 process`, `3 processes`, `0 warnings`: a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def change(values: Sequence[float | None]) -> float | None:
    """The latest known value minus the first known one of the window (None: too few)."""
    known = [v for v in values if v is not None]
    return None if len(known) < 2 else known[-1] - known[0]


def trend(delta: float | None, amount: bool = False) -> str:
    """↑ / ↓ / → for a change, with its size when `amount` ('↑12'); '' when unknown."""
    if delta is None:
        return ""
    if delta == 0:
        return "→"
    arrow = "↑" if delta > 0 else "↓"
    return f"{arrow}{abs(delta):g}" if amount else arrow


def hour_minute(ts: float, zone: str | dt.tzinfo = dt.UTC) -> str:
    """HH:MM (for 'down since 14:02')."""
    return dt.datetime.fromtimestamp(ts, _zone(zone)).strftime("%H:%M")


def clock(ts: float | None, zone: str | dt.tzinfo, now: float | None = None) -> str:
    """HH:MM:SS when on the same day as `now`, else YYYY-MM-DD HH:MM, in the given zone."""
    if ts is None:
        return MISSING
    tz = _zone(zone)
    when = dt.datetime.fromtimestamp(ts, tz)
    if now is not None and when.date() == dt.datetime.fromtimestamp(now, tz).date():
        return when.strftime("%H:%M:%S")
    return when.strftime("%Y-%m-%d %H:%M")


def _zone(zone: str | dt.tzinfo) -> dt.tzinfo:
    if isinstance(zone, dt.tzinfo):
        return zone
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC
