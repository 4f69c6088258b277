"""The dashboard's feed: what it reads (the interface) and the frozen readings it returns.

Every read takes the host to look at and `as_of` (None = live). Which series, how many
points and which chart ranges are display choices made by the TUI, passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from console.core.metrics import PerformanceSnapshot, Point, QueueSnapshot, SystemHealth
from console.core.parse import Invalid
from console.core.settings import SupervisorEndpoint
from console.core.sources import WorkerStore
from console.core.worker_info import WorkerInfo

HOUR_S = 3600  # the sparklines' span: the last hour (the cache's recent lists hold ~90 min)


@dataclass(frozen=True)
class CacheReading:
    """The latest values for one host, or why they could not be read."""

    ok: bool
    reason: str
    host: str
    polled_at: float
    health: SystemHealth | None = None
    queues: QueueSnapshot | None = None
    performance: PerformanceSnapshot | None = None
    heartbeat_ts: float | None = None
    hosts: tuple[str, ...] = ()
    invalid: tuple[Invalid, ...] = ()  # entries present but unusable, each with its reason
    worker: WorkerInfo | None = None  # what the host's worker published with its heartbeat
    worker_store: WorkerStore | None = None  # the database as the worker sees it
    as_of: float | None = None  # a past time: the values are the store's, not the cache's
    note: str = ""  # at a past time: which stored rows answered ("stored minute", ...)
    notes: Mapping[str, str] = field(default_factory=dict)  # the same per entry ("health")

    def collect_interval(self, fallback: float) -> float:
        """The worker's own collection interval (`fallback` when it did not publish one)."""
        return self.worker.interval(fallback) if self.worker is not None else fallback

    @property
    def problems(self) -> tuple[str, ...]:
        """One line per unusable entry: 'perf: invalid: perf.rps_avg is a list'."""
        return tuple(f"{i.what}: {i}" for i in self.invalid)

    def invalid_for(self, what: str) -> Invalid | None:
        """The Invalid reading of one entry ('health', 'queue', 'perf', 'heartbeat'), if any."""
        return next((i for i in self.invalid if i.what == what), None)


@dataclass(frozen=True)
class HistoryReading:
    """The last hour of each sparkline series (None = a gap), or why not."""

    ok: bool
    reason: str
    host: str
    polled_at: float
    series: Mapping[str, tuple[float | None, ...]] = field(default_factory=dict)
    hosts: tuple[str, ...] = ()
    from_store: bool = True  # False: read from the cache's recent lists
    db_ok: bool | None = None  # with from_store False: a light probe of the store, if asked
    db_reason: str = ""
    as_of: float | None = None  # a past time: the hour before it


@dataclass(frozen=True)
class ChartReading:
    """One series over the last `span_s` seconds, downsampled by the store to the chart's width."""

    ok: bool
    reason: str
    metric: str
    host: str
    span_s: int
    polled_at: float
    points: tuple[Point, ...] = ()
    from_store: bool = True  # False: read from the cache's recent lists; says nothing of the db
    markers: tuple[Any, ...] = ()  # console.core.events.markers.Marker: restarts, FATALs, deploys
    as_of: float | None = None  # a past time: the span ends there


@dataclass(frozen=True)
class SupervisorReading:
    """Whether one supervisord answers, and its state name ('RUNNING') when it does."""

    name: str
    ok: bool
    reason: str
    polled_at: float


class DashboardFeed(Protocol):
    """Blocking reads (call them from a thread); none raises for an outage."""

    def read_cache(self, host: str, as_of: float | None = None) -> CacheReading:
        """Latest health, queues, performance and heartbeat of `host`, plus the known hosts."""
        ...

    def read_history(
        self, host: str, metrics: tuple[str, ...], points: int, as_of: float | None = None
    ) -> HistoryReading:
        """The last hour of each of `metrics`, `points` values each."""
        ...

    def read_chart(
        self, host: str, metric: str, span_s: int, points: int, as_of: float | None = None
    ) -> ChartReading:
        """`metric` over the last `span_s` seconds, `points` wide."""
        ...

    def check_supervisor(
        self, endpoint: SupervisorEndpoint, as_of: float | None = None
    ) -> SupervisorReading:
        """Does this supervisord answer within the RPC deadline?"""
        ...

    def close(self) -> None: ...


def queue_series_names(queues: QueueSnapshot | None) -> tuple[str, ...]:
    """The store series behind each queue's trend arrow."""
    if queues is None:
        return ()
    return tuple(f"queue.{q.name}.pending" for q in queues.queues)
