"""Moves events from the cache stream into the store: each exactly once, in order.

The stream entry id is the idempotency key (a unique index on host + stream_id) and the
watermark (the last id moved) is written in the same transaction as the rows, so a run that
fails anywhere moves nothing and the next run starts where the last one committed. While the
database is down the events wait in the stream (capped at keys.EVENTS_MAXLEN).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from console.core import keys
from console.core.cache import Cache
from console.core.cache.base import StreamEntry, stream_key
from console.core.events.model import from_item
from console.core.store.engine import reading, writing
from console.core.store.models import ProcessEventRow, StateRow

log = logging.getLogger("stackwatch.events")
BATCH = 1000
START = "0-0"


@dataclass(frozen=True)
class Moved:
    stored: int = 0
    invalid: int = 0
    batches: int = 0


def watermark_key(host: str) -> str:
    return f"events.moved:{host}"


def stored_watermark(engine: Engine, host: str) -> str:
    """The id of the last stream entry moved into the store ("0-0": none yet)."""
    with reading(engine) as conn:
        value = conn.execute(select(StateRow.value).where(StateRow.key == watermark_key(host)))
        return value.scalar() or START


def _row(host: str, entry: StreamEntry) -> dict | None:
    event = from_item(entry.item)
    if event is None:
        return None
    return {
        "host": host,
        "endpoint": event.endpoint,
        "program": event.program,
        "ts": event.ts,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "pid": event.pid,
        "exitstatus": event.exitstatus,
        "kind": event.kind,
        "stream_id": entry.id,
        "expected": event.expected,
        "detail": event.detail,
    }


def _store(engine: Engine, host: str, entries: list[StreamEntry], now: float) -> int:
    """One batch and the new watermark, in one transaction; the number of valid rows."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    rows = [row for entry in entries if (row := _row(host, entry)) is not None]
    mark = {"key": watermark_key(host), "value": entries[-1].id, "updated": now}
    with writing(engine) as conn:
        if rows:
            insert = dialect.insert(ProcessEventRow).on_conflict_do_nothing(
                index_elements=["host", "stream_id"]
            )
            conn.execute(insert, rows)
        upsert = dialect.insert(StateRow).values(mark)
        conn.execute(
            upsert.on_conflict_do_update(index_elements=["key"], set_={"value": mark["value"]})
        )
    return len(rows)


def _reset(cache: Cache, name: str, after: str) -> bool:
    """Was the stream recreated (its newest id older than our watermark)?"""
    tail = cache.stream_tail(name, 1)
    return bool(tail) and stream_key(tail[0].id) < stream_key(after)


def move_events(cache: Cache, engine: Engine, host: str, now: float) -> Moved:
    """Everything in the stream past the watermark into process_events. Raises
    SourceUnavailable when the cache or database is down: nothing is lost, all waits."""
    name = keys.process_events(host)
    after = stored_watermark(engine, host)
    stored = invalid = batches = 0
    entries = cache.stream_after(name, after, BATCH)
    if not entries and after != START and _reset(cache, name, after):
        log.warning("event stream %s was reset: moving it from its start", name)
        entries = cache.stream_after(name, START, BATCH)
    while entries:
        kept = _store(engine, host, entries, now)
        stored, invalid, batches = stored + kept, invalid + len(entries) - kept, batches + 1
        if len(entries) < BATCH:
            break
        entries = cache.stream_after(name, entries[-1].id, BATCH)
    return Moved(stored, invalid, batches)
