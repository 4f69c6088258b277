"""A program's recent transitions for the console: the store's history joined with the
newest events still in the cache stream (not moved yet), each event once, newest first.

Blocking (cache, SQL): for worker threads. Outages come back in the value, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.core import keys
from console.core.cache import Cache
from console.core.errors import StackwatchError
from console.core.events.model import ProcessEvent, from_item

TAIL = 2000  # stream entries the console reads: minutes of a busy host


@dataclass(frozen=True)
class Transitions:
    """What the transitions panel shows; `errors` says which source could not be read."""

    endpoint: str
    program: str
    events: tuple[ProcessEvent, ...] = ()
    errors: tuple[str, ...] = ()


def stream_tail(cache: Cache, host: str, count: int = TAIL) -> list[ProcessEvent]:
    entries = cache.stream_tail(keys.process_events(host), count)
    return [e for entry in entries if (e := from_item(entry.item, entry.id)) is not None]


def transitions(
    cache: Cache | None,
    engine: Any,
    host: str,
    endpoint: str,
    program: str,
    limit: int = 200,
    until: float | None = None,
) -> Transitions:
    """Store and stream together; either may be missing or down (said in `errors`); only
    the events at or before `until` when given (the time cursor)."""
    found: list[ProcessEvent] = []
    errors: list[str] = []
    if engine is not None:
        from console.core.store.process_events import stored_events  # SQLAlchemy: only here

        try:
            found += stored_events(engine, host, endpoint, program, limit, until)
        except StackwatchError as exc:
            errors.append(f"database: {exc}")
    if cache is not None:
        try:
            found += [
                e
                for e in stream_tail(cache, host)
                if (e.endpoint, e.program) == (endpoint, program)
                and (until is None or e.ts <= until)
            ]
        except StackwatchError as exc:
            errors.append(f"cache: {exc}")
    return Transitions(endpoint, program, tuple(_merge(found)[:limit]), tuple(errors))


def _merge(events: list[ProcessEvent]) -> list[ProcessEvent]:
    """Newest first (the stream's order for events stamped the same millisecond), an event
    seen in both places (same stream id) once."""
    seen: set[str] = set()
    out = []
    for event in sorted(events, key=_order, reverse=True):
        if event.stream_id is not None:
            if event.stream_id in seen:
                continue
            seen.add(event.stream_id)
        out.append(event)
    return out


def _order(event: ProcessEvent) -> tuple[float, tuple[int, int]]:
    from console.core.cache.base import stream_key

    return event.ts, stream_key(event.stream_id) if event.stream_id else (-1, -1)


def pending_starts(events: list[ProcessEvent], watermark: str, since: float) -> dict:
    """(endpoint, program) -> starts since `since` among stream events not yet in the store."""
    from console.core.cache.base import stream_key

    mark = stream_key(watermark)
    counts: dict[tuple[str, str], int] = {}
    for e in events:
        if e.is_start and e.ts >= since and e.stream_id and stream_key(e.stream_id) > mark:
            key = (e.endpoint, e.program)
            counts[key] = counts.get(key, 0) + 1
    return counts


def merged_since(
    cache: Cache, settings: Any, since: float, program: str | None
) -> tuple[list[ProcessEvent], list[str]]:
    """Every event of this host since `since` (one program, or all), oldest first, with the
    sources that could not be read."""
    found: list[ProcessEvent] = []
    errors: list[str] = []
    try:
        from console.core.store.engine import make_engine
        from console.core.store.process_events import events_since

        engine = make_engine(settings.resolved_database_url)
        try:
            found += events_since(engine, settings.host, since, program)
        finally:
            engine.dispose()
    except StackwatchError as exc:
        errors.append(f"database: {exc}")
    try:
        found += [
            e
            for e in stream_tail(cache, settings.host)
            if e.ts >= since and (program is None or e.program == program)
        ]
    except StackwatchError as exc:
        errors.append(f"cache: {exc}")
    return list(reversed(_merge(found))), errors
