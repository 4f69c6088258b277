"""The latest entries read as our snapshots: the one place a cache payload becomes a type.

`read_entry` is used by the dashboard, plain mode and doctor alike, so an entry that does not
fit reads as the same `Invalid` (with the same reason) everywhere.
"""

from __future__ import annotations

from typing import Any

from console.core.cache.base import Cache, Latest
from console.core.metrics import PerformanceSnapshot, QueueSnapshot, SystemHealth, parse_snapshot
from console.core.parse import Invalid

# cache kind -> (the short name a reason starts with, the snapshot type)
ENTRIES: dict[str, tuple[str, type]] = {
    "health": ("health", SystemHealth),
    "queue": ("queue", QueueSnapshot),
    "performance": ("perf", PerformanceSnapshot),
}
Entry = SystemHealth | QueueSnapshot | PerformanceSnapshot


def parse_entry(kind: str, latest: Latest) -> Any:
    """A read entry as its snapshot, Invalid (with why), or None when there is none."""
    what, cls = ENTRIES[kind]
    if latest.status == "missing":
        return None
    if not latest.ok:
        return Invalid(what, latest.error or "unusable entry")
    return parse_snapshot(cls, latest.payload, what)


def read_entry(cache: Cache, kind: str, host: str) -> Entry | Invalid | None:
    """`host`'s latest entry of `kind`; raises SourceUnavailable when the cache is down."""
    return parse_entry(kind, cache.get_latest(kind, host))


def read_heartbeat(cache: Cache, host: str) -> float | Invalid | None:
    """The worker's last beat (epoch s), Invalid, or None when it never beat."""
    return heartbeat_of(cache.heartbeat(host))


def heartbeat_of(beat: Latest) -> float | Invalid | None:
    """A heartbeat entry as read -> its time, Invalid, or None when it never beat."""
    if beat.status == "invalid":
        return Invalid("heartbeat", beat.error or "unusable entry")
    return beat.ts if beat.ok else None
