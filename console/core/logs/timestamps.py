"""The time a log line was written, read from its text; and `--since` values.

The formats are `console.core.logs.stamps`'s; the search is `console.core.logs.timejump`'s.
"""

from __future__ import annotations

import re
import time

from console.core.logs import stamps
from console.core.logs.timejump import first_at

_RELATIVE = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)$")
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def line_time(text: str | bytes) -> float | None:
    """Seconds since the epoch when the line carries a timestamp near its start, else None
    (every format `console.core.logs.stamps` knows: ISO, syslog, Monolog, JSON fields…)."""
    return stamps.line_time(text)


def parse_since(value: str, now: float | None = None) -> float:
    """`10m`, `2h`, `1d`, `30s`, or a date/time (`2024-05-01 10:00`, `10:00` today)."""
    now = time.time() if now is None else now
    text = value.strip()
    relative = _RELATIVE.match(text)
    if relative:
        return now - float(relative.group(1)) * _UNITS[relative.group(2)]
    if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", text):
        text = time.strftime("%Y-%m-%d ", time.localtime(now)) + text
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text += " 00:00"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}", text):
        text += ":00"
    found = line_time(text)
    if found is None:
        raise ValueError(f"not a time: {value!r} (try 10m, 2h, 1d, 09:30 or 2024-05-01 09:30)")
    return found


def offset_since(fd: int, since: float, end: int) -> int:
    """The start of the first line written at or after `since`, by bisection over the file."""
    return first_at(fd, since, end)
