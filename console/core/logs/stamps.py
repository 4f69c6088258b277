"""When a log line was written, read from its first bytes, in the formats programs use.

- ISO 8601 and what derives from it: Python logging (`2026-12-01 03:12:00,123`), supervisord's
  own log (the same), Laravel/Monolog (`[2026-12-01 03:12:00] local.ERROR`,
  `[2026-12-01T03:12:00.123456+00:00]`), RFC 5424 syslog, logfmt (`ts=2026-…`).
- BSD syslog: `Dec  1 03:12:00 host prog[12]: …` (no year: the latest one not after `ref`).
- JSON lines: a `time`, `ts`, `timestamp` or `@timestamp` field, as ISO text or epoch
  seconds (milli-, micro- and nanoseconds recognised by size).
- Common log format: `[01/Dec/2026:03:12:00 +0000]`.

A time without a zone is local time (`tz`, the host's zone by default), as the program
wrote it. Anything else is None: the caller treats the line as part of the one before.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from datetime import tzinfo

HEAD = 512  # bytes of a line looked at: a JSON line may put its time after a few fields
LOOK = 80  # characters from the start where a plain-text stamp must begin
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?"
)
_MONTHS = {
    m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())
}
_SYSLOG = re.compile(
    r"(?:<\d{1,3}>)?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) "
    r"(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?"
)
_CLF = re.compile(r"\[(\d{2})/(\w{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\]")
_JSON_FIELD = re.compile(
    r'"(?:time|ts|timestamp|@timestamp)"\s*:\s*(?:"([^"]{8,40})"|(-?\d{9,19}(?:\.\d+)?))'
)


def line_time(
    data: str | bytes, tz: tzinfo | None = None, ref: float | None = None
) -> float | None:
    """Seconds since the epoch if the line starts with a known timestamp, else None."""
    text = data[:HEAD].decode("ascii", "replace") if isinstance(data, bytes) else data[:HEAD]
    if text.lstrip()[:1] == "{":
        found = _json_time(text, tz)
        if found is not None:
            return found
    match = _ISO.search(text, 0, LOOK)
    if match is not None:
        return _iso_time(match, tz)
    match = _SYSLOG.match(text)
    if match is not None:
        return _syslog_time(match, tz, time.time() if ref is None else ref)
    match = _CLF.search(text, 0, LOOK)
    if match is not None:
        return _clf_time(match)
    return None


def _wall(parts: tuple[int, ...], fraction: str | None, tz: tzinfo | None) -> float | None:
    """A wall-clock time in `tz` (None: the host's local time), or None if not a real date."""
    try:
        moment = dt.datetime(*parts)  # type: ignore[misc]
    except ValueError:
        return None
    seconds = float(f"0.{fraction}") if fraction else 0.0
    if tz is None:
        return time.mktime(moment.timetuple()) + seconds
    return moment.replace(tzinfo=tz).timestamp() + seconds


def _iso_time(match: re.Match[str], tz: tzinfo | None) -> float | None:
    *fields, fraction, zone = match.groups()
    parts = tuple(int(f) for f in fields)
    if zone is None:
        return _wall(parts, fraction, tz)
    utc = _wall(parts, fraction, dt.UTC)
    if utc is None:
        return None
    return utc - _offset(zone)


def _offset(zone: str) -> int:
    """`Z`, `+02:00`, `-0530` -> seconds east of UTC."""
    if zone == "Z":
        return 0
    seconds = int(zone[1:3]) * 3600 + int(zone[-2:]) * 60
    return -seconds if zone[0] == "-" else seconds


def _syslog_time(match: re.Match[str], tz: tzinfo | None, ref: float) -> float | None:
    month, day = _MONTHS[match[1].lower()], int(match[2])
    clock = (int(match[3]), int(match[4]), int(match[5]))
    year = dt.datetime.fromtimestamp(ref, tz).year
    found = _wall((year, month, day, *clock), match[6], tz)
    if found is not None and found > ref + 86400:  # "Dec 31" read in January: last year's
        found = _wall((year - 1, month, day, *clock), match[6], tz)
    return found


def _clf_time(match: re.Match[str]) -> float | None:
    month = _MONTHS.get(match[2].lower())
    if month is None:
        return None
    parts = (int(match[3]), month, int(match[1]), int(match[4]), int(match[5]), int(match[6]))
    found = _wall(parts, None, dt.UTC)
    return None if found is None else found - _offset(match[7])


def _json_time(text: str, tz: tzinfo | None) -> float | None:
    match = _JSON_FIELD.search(text)
    if match is None:
        return None
    if match[1] is not None:
        iso = _ISO.match(match[1])
        return _iso_time(iso, tz) if iso is not None else None
    number = float(match[2])
    while abs(number) > 1e11:  # milli-, micro-, nanoseconds
        number /= 1000
    return number
