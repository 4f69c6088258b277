"""Queue depths: the watched queues from settings, plus our own huey queue."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

import redis

from console.core.errors import SourceUnavailable
from console.core.metrics import QueueDepth, QueueSnapshot
from console.core.queues import read_queues
from console.core.queues.failure_counts import FailureCounts, fill_failed
from console.core.settings import Settings

OWN_QUEUE = "stackwatch"


def own_queue(huey: Any) -> QueueDepth:
    """Our worker's own huey queue, through huey's API (works for Redis and SQLite storage)."""
    try:
        return QueueDepth(
            name=OWN_QUEUE,
            kind="huey",
            pending=huey.pending_count(),
            scheduled=huey.scheduled_count(),
        )
    except (redis.RedisError, sqlite3.Error, OSError) as exc:  # whichever storage huey uses
        return QueueDepth(name=OWN_QUEUE, kind="huey", error=f"{type(exc).__name__}: {exc}"[:200])


def with_failures(
    snapshot: QueueSnapshot, counts: FailureCounts | None, settings: Settings
) -> QueueSnapshot:
    """Huey keeps no failed count: the failures we recorded stand in, as on the Queues screen."""
    return replace(snapshot, queues=tuple(fill_failed(snapshot.queues, counts, settings.queues)))


def collect_queues(settings: Settings, client: Any, now: float, huey: Any = None) -> QueueSnapshot:
    """Every watched queue; without Redis, each says so instead of a number."""
    specs = [s for s in settings.queues if not s.hidden]
    try:  # without Redis, SQLite-backed huey queues are still read; others say why not
        depths = read_queues(client, specs)
    except SourceUnavailable as exc:
        depths = tuple(QueueDepth(name=s.name, kind=s.kind, error=str(exc)) for s in specs)
    if huey is not None and all(s.name != OWN_QUEUE for s in settings.queues):
        depths = (own_queue(huey), *depths)
    return QueueSnapshot(host=settings.host, ts=now, queues=depths)
