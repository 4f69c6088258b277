"""`stackwatch events [--since TIME] [--program P] [--json]`: what happened, one line per event."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from dataclasses import asdict

from console.core.errors import StackwatchError
from console.core.events.model import ProcessEvent
from console.core.settings import Settings

DEFAULT_SINCE_S = 3600
_RELATIVE = re.compile(r"^-(\d+)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_since(text: str | None, now: float) -> float:
    """-30m, -2h, -1d; 03:12 (today, local time); or an ISO 8601 date/time."""
    if not text:
        return now - DEFAULT_SINCE_S
    relative = _RELATIVE.match(text.strip())
    if relative:
        return now - int(relative.group(1)) * _UNITS[relative.group(2)]
    try:
        if re.fullmatch(r"\d{1,2}:\d\d", text.strip()):
            hour, minute = map(int, text.split(":"))
            today = dt.datetime.fromtimestamp(now).replace(hour=hour, minute=minute, second=0)
            return today.timestamp()
        return dt.datetime.fromisoformat(text.strip()).timestamp()
    except ValueError:
        raise StackwatchError(
            f"--since {text!r}: use -30m, -2h, -1d, 03:12 or 2026-12-01T03:12"
        ) from None


def line(event: ProcessEvent) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(event.ts))
    change = f"{event.from_state} -> {event.to_state}" if event.from_state else event.to_state
    parts = [stamp, event.endpoint or "-", event.program or "supervisord", change]
    if event.pid:
        parts.append(f"pid {event.pid}")
    if event.detail:
        parts.append(event.detail)
    if event.expected is not None:
        parts.append("expected" if event.expected else "not expected")
    return "  ".join(parts)


def collect(settings: Settings, since: float, program: str | None) -> tuple[list, list[str]]:
    """Events since `since` from the store and the cache stream, oldest first."""
    from console.core.cache import open_cache
    from console.core.events.timeline import merged_since

    cache = open_cache(settings)
    try:
        return merged_since(cache, settings, since, program)
    finally:
        cache.close()


def show(settings: Settings, since_text: str | None, program: str | None, as_json: bool) -> int:
    since = parse_since(since_text, time.time())
    events, errors = collect(settings, since, program)
    for error in errors:
        print(f"stackwatch: {error}", file=sys.stderr)
    for event in events:
        print(json.dumps(asdict(event)) if as_json else line(event))
    return 2 if errors and not events else 0
