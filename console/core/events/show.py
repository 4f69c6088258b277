"""`stackwatch events [--since TIME] [--program P] [--json]`: what happened, one line per event."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from dataclasses import asdict
from datetime import tzinfo

from console.core.errors import StackwatchError
from console.core.events.model import ProcessEvent
from console.core.settings import Settings

DEFAULT_SINCE_S = 3600


def parse_since(text: str | None, now: float, tz: tzinfo = dt.UTC) -> float:
    """-30m, -2h, -1d; 03:12 (its latest occurrence); yesterday 14:00; an ISO date/time."""
    if not text:
        return now - DEFAULT_SINCE_S
    from console.core.timecursor import TimeInputError, parse_at

    try:
        found = parse_at(text, now, tz)
    except TimeInputError as exc:
        raise StackwatchError(f"--since: {exc}") from None
    return now if found is None else found


def line(event: ProcessEvent, tz: tzinfo | None = None) -> str:
    """One event as text; its time in `tz` (the host's local time by default)."""
    stamp = dt.datetime.fromtimestamp(event.ts, tz).strftime("%Y-%m-%d %H:%M:%S")
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
    from console.core.timecursor import zone_of

    tz = zone_of(settings.timezone)
    since = parse_since(since_text, time.time(), tz)
    events, errors = collect(settings, since, program)
    for error in errors:
        print(f"stackwatch: {error}", file=sys.stderr)
    for event in events:
        print(json.dumps(asdict(event)) if as_json else line(event, tz))
    return 2 if errors and not events else 0
