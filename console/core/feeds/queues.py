"""The queues screen's feed: one `QueuesView` of a host per poll, each section failing on its
own (a dead Redis leaves the failures and the ledger from the database on screen)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from console.core.periodic import LedgerRow
from console.core.queues.failures import Failure
from console.core.queues.huey_tasks import ScheduledTask
from console.core.queues.jobstats import InFlight, TaskStats, Tiles


@dataclass(frozen=True)
class QueueLine:
    """One watched queue on screen (names sanitized)."""

    name: str
    kind: str
    origin: str
    pending: int | None = None
    scheduled: int | None = None
    reserved: int | None = None
    failed: int | None = None
    oldest_age_s: float | None = None
    error: str | None = None
    history: tuple[float | None, ...] = ()
    trend: int | None = None  # pending now minus ten minutes ago
    level: str = "ok"  # ok | warning | critical


@dataclass(frozen=True)
class QueuesView:
    ts: float
    host: str
    queues: tuple[QueueLine, ...] = ()
    queues_error: str | None = None
    tiles: Tiles | None = None
    tasks: tuple[TaskStats, ...] = ()
    inflight: tuple[InFlight, ...] = ()
    jobs_error: str | None = None
    failures: tuple[Failure, ...] = ()  # the newest LIST_LIMIT, and those still in the cache
    failed_total: int | None = None  # every failure held, as the queue table's column sums it
    failures_error: str | None = None
    ledger: tuple[LedgerRow, ...] = ()
    ledger_error: str | None = None
    scheduled: tuple[ScheduledTask, ...] = ()
    scheduled_error: str | None = None


class QueuesFeed(Protocol):
    """Blocking (call from a thread); `load` never raises for an outage."""

    def load(self, host: str, as_of: float | None = None) -> QueuesView:
        """One complete view of `host`'s queues and jobs."""
        ...

    def actions(self, host: str) -> Any:
        """What can be changed on `host`'s queues (a `QueueActions`)."""
        ...

    def close(self) -> None: ...
