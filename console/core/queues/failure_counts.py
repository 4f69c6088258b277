"""Failed jobs counted once, from our records (stored plus still waiting in the cache): the
queue table's `failed` column, the Failed tab, the "Failed 7d" tile and the dashboard's queue
stats all read these numbers, so they cannot disagree."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from console.core import keys
from console.core.metrics import QueueDepth
from console.core.queues.huey_source import is_sqlite, parse_huey_key
from console.core.settings_tables import QueueSpec

if TYPE_CHECKING:  # SQLAlchemy loads on the first read through an engine
    from sqlalchemy import Engine

WEEK = 7 * 86400.0
RECORDED_KINDS = ("huey",)  # queues whose failures our recorder keeps (core/jobsignals.py)


@dataclass(frozen=True)
class FailureCounts:
    """Failures held (until retried, deleted or flushed) per queue, and those of the past week."""

    by_queue: Mapping[str, int] = field(default_factory=dict)
    past_7d: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_queue.values())


def stored_counts(engine: Engine, host: str, now: float) -> FailureCounts:
    """What job_failures holds for a host, in one query."""
    from sqlalchemy import case, func, select

    from console.core.store.engine import reading
    from console.core.store.models import JobFailureRow

    recent = func.sum(case((JobFailureRow.ts >= now - WEEK, 1), else_=0))
    query = (
        select(JobFailureRow.queue, func.count(), recent)
        .where(JobFailureRow.host == host)
        .group_by(JobFailureRow.queue)
    )
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return FailureCounts({str(q): int(n) for q, n, _ in rows}, sum(int(r or 0) for *_, r in rows))


def with_waiting(
    counts: FailureCounts, waiting: Iterable[tuple[str, float]], now: float
) -> FailureCounts:
    """Add the failures still in the cache, as (queue, ts), to what the store holds."""
    by_queue = dict(counts.by_queue)
    past = counts.past_7d
    for queue, ts in waiting:
        by_queue[queue] = by_queue.get(queue, 0) + 1
        past += ts >= now - WEEK
    return FailureCounts(by_queue, past)


def waiting_in(cache, host: str) -> list[tuple[str, float]]:
    """(queue, ts) of the failures still in the cache, staged ones included (being stored)."""
    from console.core.queues.failures import waiting

    key = keys.job_failures(host)
    items = cache.items(keys.staged(key), 200) + cache.items(key, 200)
    return [(f.queue, f.ts) for f in waiting(items)[0]]


def fill_failed(
    depths: Sequence[QueueDepth], counts: FailureCounts | None, specs: Iterable[QueueSpec] = ()
) -> list[QueueDepth]:
    """A queue whose backend keeps no failed count (huey) shows the failures we recorded for it
    (under its backend key: the huey app's name); a backend's own count (RQ's failed registry)
    stays, and so does a queue in error."""
    if counts is None:
        return list(depths)
    key_of = {spec.name: _recorded_under(spec) for spec in specs}
    filled = []
    for depth in depths:
        key = key_of.get(depth.name, depth.name)
        ours = depth.kind in RECORDED_KINDS or key in counts.by_queue
        if depth.failed is None and depth.error is None and ours:
            depth = dataclasses.replace(depth, failed=counts.by_queue.get(key, 0))
        filled.append(depth)
    return filled


# SQLAlchemy takes a one-shot command (`stackwatch queues`) ~0.3 s to import, more than the
# whole read; with the embedded store the same count goes through sqlite3 (store/light.py). The
# SQL spells stored_counts' query; a test holds the two to the same answer on a real store.
SQLITE_COUNTS = (
    "SELECT queue, COUNT(*), SUM(CASE WHEN ts >= ? THEN 1 ELSE 0 END)"
    " FROM job_failures WHERE host = ? GROUP BY queue"
)


def stored_counts_sqlite(path: str, host: str, now: float) -> FailureCounts:
    """stored_counts on an SQLite file, through sqlite3 (a missing file stays missing)."""
    from console.core.store.light import opened

    with opened(path) as conn:
        rows = conn.execute(SQLITE_COUNTS, (now - WEEK, host)).fetchall()
    return FailureCounts({str(q): int(n) for q, n, _ in rows}, sum(int(r or 0) for *_, r in rows))


def _recorded_under(spec: QueueSpec) -> str:
    """The name a queue's failures are recorded under: its huey app's name. A SQLite key
    names it after `#` (else huey's default, the queue's name); other keys are the name."""
    if is_sqlite(spec):
        return parse_huey_key(spec).name or spec.name
    return spec.backend_key
