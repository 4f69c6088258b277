"""The time a log line was written, read from its text; and `--since` values.

Recognised near the start of a line: ISO 8601 / Python logging (`2024-05-01 10:00:00,123`,
`2024-05-01T10:00:00.123Z`, with an offset or not), inside brackets, JSON or logfmt fields
(`"ts": "2024-…"`, `time=2024-…`). A time without a zone is local time, as the programs on
this host wrote it.
"""

from __future__ import annotations

import os
import re
import time
from datetime import datetime, timedelta

_STAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?"
)
LOOK = 80  # characters at the start of a line where a timestamp may be
_RELATIVE = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)$")
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def line_time(text: str | bytes) -> float | None:
    """Seconds since the epoch when the line carries a timestamp near its start, else None."""
    if isinstance(text, bytes):
        text = text[:LOOK].decode("ascii", "replace")
    match = _STAMP.search(text, 0, LOOK)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        stamp = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    seconds = float(f"0.{fraction}") if fraction else 0.0
    if zone is None:
        return time.mktime(stamp.timetuple()) + seconds
    offset = 0 if zone == "Z" else int(zone[1:3]) * 3600 + int(zone[-2:]) * 60
    offset = -offset if zone.startswith("-") else offset
    utc = (stamp - datetime(1970, 1, 1)) - timedelta(seconds=offset)
    return utc.total_seconds() + seconds


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
    """The start of the first line written at or after `since`, by bisection over the file.

    Assumes a log is in time order (it is, apart from small jitter); lines without a
    timestamp are skipped over while probing.
    """
    lo, hi = 0, end
    while hi - lo > 4096:
        mid = (lo + hi) // 2
        start, stamp = _stamp_after(fd, mid, hi)
        if stamp is None or stamp >= since:
            hi = max(lo, start if stamp is not None else mid)
        else:
            lo = start + 1
    return _first_line_from(fd, lo, end, since)


def _stamp_after(fd: int, pos: int, end: int) -> tuple[int, float | None]:
    """The first line starting after pos that has a timestamp: (its start, its time)."""
    data = os.pread(fd, min(65536, max(0, end - pos)), pos)
    at = data.find(b"\n") + 1 if pos else 0
    while 0 < at < len(data) or (at == 0 and pos == 0 and data):
        nl = data.find(b"\n", at)
        stamp = line_time(data[at : nl if nl >= 0 else len(data)])
        if stamp is not None:
            return pos + at, stamp
        if nl < 0:
            break
        at = nl + 1
    return pos, None


def _first_line_from(fd: int, lo: int, end: int, since: float) -> int:
    """Walk forward from lo (near the answer) to the first line stamped at or after since."""
    pos = lo
    if pos and os.pread(fd, 1, pos - 1) != b"\n":
        block = os.pread(fd, 65536, pos)
        nl = block.find(b"\n")
        pos = pos + nl + 1 if nl >= 0 else end
    while pos < end:
        block = os.pread(fd, min(65536, end - pos), pos)
        at = 0
        while at < len(block):
            nl = block.find(b"\n", at)
            if nl < 0 and pos + len(block) < end:
                break
            stop = len(block) if nl < 0 else nl
            stamp = line_time(block[at:stop])
            if stamp is not None and stamp >= since:
                return pos + at
            at = stop + 1
        if at == 0:
            return pos  # a line longer than a block: stop here rather than read it all
        pos += at
    return end
