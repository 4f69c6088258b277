"""Formatting for the queues screen: ages, durations, clock times, sparklines (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from rich.text import Text

BARS = "▁▂▃▄▅▆▇█"


def num(value: int | float | None) -> Text:
    return Text("-" if value is None else f"{value:g}", justify="right")


def age(seconds: float | None) -> str:
    """3s, 4m, 2h05m, 3d."""
    if seconds is None:
        return "-"
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    if seconds < 172800:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d"


def duration(ms: float | None) -> str:
    if ms is None:
        return "-"
    if ms < 1000:
        return f"{ms:.0f}ms"
    return f"{ms / 1000:.1f}s" if ms < 120_000 else age(ms / 1000)


def clock(ts: float | None, zone: str, now: float | None = None) -> str:
    """HH:MM:SS today, else MM-DD HH:MM, in the configured time zone."""
    if ts is None:
        return "-"
    tz = ZoneInfo(zone)
    when = dt.datetime.fromtimestamp(ts, tz)
    if now is not None and when.date() == dt.datetime.fromtimestamp(now, tz).date():
        return when.strftime("%H:%M:%S")
    return when.strftime("%Y-%m-%d %H:%M")


def sparkline(values: Sequence[float | None], width: int = 12) -> str:
    """The last `width` values as bars scaled to their own range; gaps as spaces."""
    tail = list(values)[-width:]
    known = [v for v in tail if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    return "".join(
        " " if v is None else BARS[min(7, int((v - low) / span * 7))] if high > low else BARS[0]
        for v in tail
    )


def trend(delta: int | None) -> str:
    if delta is None:
        return ""
    if delta > 0:
        return f"↑{delta}"
    return f"↓{-delta}" if delta < 0 else "→"
