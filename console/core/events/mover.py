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
from console.core.events.continuity import Continuity
from console.core.events.model import SUPERVISOR, ProcessEvent, from_item
from console.core.store.engine import reading, writing
from console.core.store.models import ProcessEventRow, StateRow

log = logging.getLogger("stackwatch.events")
BATCH = 1000
START = "0-0"
LOST = "LOST"


@dataclass(frozen=True)
class Moved:
    stored: int = 0
    invalid: int = 0
    batches: int = 0
    duplicates: int = 0  # delivered twice (same supervisord number): stored once
    lost: int = 0  # numbers missing: events that never reached the stream


def watermark_key(host: str) -> str:
    return f"events.moved:{host}"


def serials_key(host: str) -> str:
    return f"events.serials:{host}"


def _state(engine: Engine, key: str) -> str | None:
    with reading(engine) as conn:
        return conn.execute(select(StateRow.value).where(StateRow.key == key)).scalar()


def stored_watermark(engine: Engine, host: str) -> str:
    """The id of the last stream entry moved into the store ("0-0": none yet)."""
    return _state(engine, watermark_key(host)) or START


def _row(host: str, event: ProcessEvent) -> dict:
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
        "stream_id": event.stream_id,
        "expected": event.expected,
        "detail": event.detail,
    }


def _lost_row(host: str, before: ProcessEvent, count: int) -> dict:
    """A row saying where events went missing, so the timeline never looks complete when
    it is not."""
    why = f"{count} events lost here (supervisord's buffer or the cache stream overflowed)"
    lost = ProcessEvent(before.ts, before.endpoint, SUPERVISOR, "", LOST, detail=why)
    return _row(host, lost)


@dataclass
class _Batch:
    rows: list[dict]
    events: int = 0  # rows that are events (not LOST notes)
    invalid: int = 0
    duplicates: int = 0
    lost: int = 0


def _prepare(host: str, entries: list[StreamEntry], continuity: Continuity) -> _Batch:
    batch = _Batch([])
    for entry in entries:
        event = from_item(entry.item, entry.id)
        if event is None:
            batch.invalid += 1
            continue
        verdict = continuity.see(event)
        if verdict.duplicate:
            batch.duplicates += 1
            continue
        if verdict.lost:
            batch.lost += verdict.lost
            batch.rows.append(_lost_row(host, event, verdict.lost))
        batch.rows.append(_row(host, event))
        batch.events += 1
    return batch


def _upsert_state(conn, dialect, key: str, value: str, now: float) -> None:
    mark = {"key": key, "value": value, "updated": now}
    upsert = dialect.insert(StateRow).values(mark)
    conn.execute(upsert.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def _store(
    engine: Engine, host: str, entries: list[StreamEntry], continuity: Continuity, now: float
) -> _Batch:
    """One batch, the new watermark and serials, in one transaction."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    batch = _prepare(host, entries, continuity)
    with writing(engine) as conn:
        if batch.rows:
            insert = dialect.insert(ProcessEventRow).on_conflict_do_nothing(
                index_elements=["host", "stream_id"]
            )
            conn.execute(insert, batch.rows)
        _upsert_state(conn, dialect, watermark_key(host), entries[-1].id, now)
        _upsert_state(conn, dialect, serials_key(host), continuity.dump(), now)
    return batch


def _reset(cache: Cache, name: str, after: str) -> bool:
    """Was the stream recreated (its newest id older than our watermark)?"""
    tail = cache.stream_tail(name, 1)
    return bool(tail) and stream_key(tail[0].id) < stream_key(after)


def move_events(cache: Cache, engine: Engine, host: str, now: float) -> Moved:
    """Everything in the stream past the watermark into process_events. Raises
    SourceUnavailable when the cache or database is down: nothing is lost, all waits."""
    name = keys.process_events(host)
    after = stored_watermark(engine, host)
    continuity = Continuity.load(_state(engine, serials_key(host)))
    total = Moved()
    entries = cache.stream_after(name, after, BATCH)
    if not entries and after != START and _reset(cache, name, after):
        log.warning("event stream %s was reset: moving it from its start", name)
        entries = cache.stream_after(name, START, BATCH)
    while entries:
        batch = _store(engine, host, entries, continuity, now)
        total = Moved(
            total.stored + batch.events,
            total.invalid + batch.invalid,
            total.batches + 1,
            total.duplicates + batch.duplicates,
            total.lost + batch.lost,
        )
        if len(entries) < BATCH:
            break
        entries = cache.stream_after(name, entries[-1].id, BATCH)
    if total.lost:
        log.warning("%d process events were lost before they reached the store", total.lost)
    return total
