"""The dashboard's data layer: blocking reads of the cache, the store and supervisord.

Every method blocks (call it from a worker thread) and never raises for an outage: it returns a
frozen reading that says ok or why not. Nothing touches a service at import or construction.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from console.core.errors import SchemaOutOfDate, SourceUnavailable
from console.core.metrics import (
    PerformanceSnapshot,
    Point,
    QueueSnapshot,
    SystemHealth,
    from_payload,
)
from console.core.sanitize import clean, first_line
from console.core.settings import Settings, SupervisorEndpoint
from console.core.sources import WorkerStore, parse_worker_store

Clock = Callable[[], float]

# Series shown as sparklines (last hour), in the order the chart selector offers them.
SPARK_METRICS: tuple[str, ...] = (
    "perf.rps_avg",
    "perf.latency_p95_ms",
    "perf.jobs_processed",
    "perf.jobs_failed",
    "health.cpu_percent",
    "health.load1",
    "health.mem_percent",
    "health.swap_percent",
    "health.disk_percent",
    "health.net_rx_bps",
    "health.net_tx_bps",
)
CHART_RANGES: dict[str, int] = {
    "1h": 3600,
    "6h": 6 * 3600,
    "24h": 24 * 3600,
    "7d": 7 * 86400,
    "30d": 30 * 86400,
}
SPARK_POINTS = 60


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
    problems: tuple[str, ...] = ()  # entries present but unreadable
    worker_store: WorkerStore | None = None  # the database as the worker sees it


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


@dataclass(frozen=True)
class ChartReading:
    """One series over a range, downsampled by the store to the chart's width."""

    ok: bool
    reason: str
    metric: str
    host: str
    range_name: str
    polled_at: float
    points: tuple[Point, ...] = ()
    from_store: bool = True  # False: read from the cache's recent lists; says nothing of the db


@dataclass(frozen=True)
class SupervisorReading:
    """Whether one supervisord answers, and its state name ('RUNNING') when it does."""

    name: str
    ok: bool
    reason: str
    polled_at: float


def _snapshot(cls: type, latest: Any, problems: list[str], kind: str) -> Any:
    if latest.status == "ok":
        try:
            return from_payload(cls, latest.payload)
        except (TypeError, ValueError) as exc:
            problems.append(f"{kind}: unreadable entry ({first_line(str(exc))})")
    elif latest.status == "invalid":
        problems.append(f"{kind}: {first_line(latest.error or 'invalid entry')}")
    return None


def _store_reason(exc: Exception) -> str:
    """One line; a store without tables gets the command that creates them."""
    reason = first_line(str(exc)) or "unreachable"
    if "no such table" in reason or "does not exist" in reason:
        reason = "no stackwatch schema: run `stackwatch db upgrade`"
    return reason


def queue_series_names(queues: QueueSnapshot | None) -> tuple[str, ...]:
    """The store series behind each queue's trend arrow."""
    if queues is None:
        return ()
    return tuple(f"queue.{q.name}.pending" for q in queues.queues)


class DashboardSources:
    """The real sources behind the dashboard. One instance per app; methods run in threads."""

    def __init__(self, settings: Settings, clock: Clock = time.time) -> None:
        self.settings = settings
        self.clock = clock
        self._cache: Any = None
        self._engine: Any = None
        self._lock = threading.Lock()  # guards lazy opening only; I/O happens outside it
        self._clients: dict[str, Any] = {}

    # -- cache ----------------------------------------------------------------------------
    def _get_cache(self) -> Any:
        with self._lock:
            if self._cache is None:
                from console.core.cache import open_cache

                self._cache = open_cache(self.settings)
            return self._cache

    def read_cache(self, host: str) -> CacheReading:
        """Latest health, queues, performance and heartbeat of `host`, plus the known hosts."""
        now = self.clock()
        try:
            cache = self._get_cache()
            problems: list[str] = []
            health = _snapshot(SystemHealth, cache.get_latest("health", host), problems, "health")
            queues = _snapshot(QueueSnapshot, cache.get_latest("queue", host), problems, "queues")
            perf = _snapshot(
                PerformanceSnapshot, cache.get_latest("performance", host), problems, "performance"
            )
            beat = cache.heartbeat(host)
            hosts = tuple(sorted({clean(h, 255) for h in cache.latest_hosts("health")} | {host}))
        except SourceUnavailable as exc:
            return CacheReading(False, first_line(str(exc)) or "unreachable", host, now)
        beat_ts = beat.ts if beat.status == "ok" else None
        store = parse_worker_store(beat.payload.get("store")) if beat.payload else None
        return CacheReading(
            True, "", host, now, health, queues, perf, beat_ts, hosts, tuple(problems), store
        )

    # -- store ----------------------------------------------------------------------------
    def _get_engine(self) -> Any:
        with self._lock:
            if self._engine is None:
                from console.core.store.engine import make_engine

                self._engine = make_engine(self.settings.resolved_database_url)
            return self._engine

    def _series(self, metric: str, host: str, since: float, until: float, points: int) -> Any:
        from console.core.store import queries

        return queries.series(self._get_engine(), metric, host, since, until, points)

    def _recent(
        self, host: str, metrics: tuple[str, ...], since: float, until: float, points: int
    ) -> dict[str, list[Point]] | None:
        """The series from the cache's recent lists, or None: no list (an older worker), the
        cache unreachable, or a name the lists do not know. The caller then asks the store."""
        from console.core.recent import recent_series

        try:
            interval = self.settings.collect_interval
            return recent_series(self._get_cache(), host, metrics, since, until, points, interval)
        except (SourceUnavailable, ValueError):
            return None

    def read_history(self, host: str, extra: tuple[str, ...] = ()) -> HistoryReading:
        """The last hour of every sparkline series (and `extra` ones, e.g. queue trends):
        from the cache's recent lists when the worker writes them, else from the store."""
        now = self.clock()
        found = self._recent(host, (*SPARK_METRICS, *extra), now - 3600, now, SPARK_POINTS)
        if found is not None:
            try:
                known = self._get_cache().latest_hosts("health")
            except SourceUnavailable:
                known = []
            hosts = tuple(sorted({clean(h, 255) for h in known} | {host}))
            series = {m: tuple(p.value for p in points) for m, points in found.items()}
            from console.core.store.probe import probe_store

            db_ok, db_reason = probe_store(self.settings.resolved_database_url)
            return HistoryReading(
                True, "", host, now, series, hosts, False, db_ok, "" if db_ok else db_reason
            )
        return self._store_history(host, extra, now)

    def _store_history(self, host: str, extra: tuple[str, ...], now: float) -> HistoryReading:
        try:
            # No alembic check here: it would cost the console ~11 MB; a missing table says enough.
            from console.core.store import queries

            series = {}
            for metric in (*SPARK_METRICS, *extra):
                try:
                    found = self._series(metric, host, now - 3600, now, SPARK_POINTS)
                except ValueError:  # a queue series the store does not know: no sparkline
                    continue
                series[metric] = tuple(p.value for p in found)
            hosts = tuple(clean(h, 255) for h in queries.hosts(self._get_engine()))
        except (SourceUnavailable, SchemaOutOfDate) as exc:
            return HistoryReading(False, _store_reason(exc), host, now)
        except ImportError:  # a build without the store (it lands separately)
            return HistoryReading(False, "history store not available", host, now)
        return HistoryReading(True, "", host, now, series, hosts)

    def read_chart(self, metric: str, host: str, range_name: str, points: int) -> ChartReading:
        """`metric` over the named range, `points` wide: the last hour from the cache's recent
        lists when the worker writes them, longer ranges from the store (downsampled in SQL)."""
        now = self.clock()
        span = CHART_RANGES[range_name]
        if span <= 3600:
            found = self._recent(host, (metric,), now - span, now, max(2, points))
            if found is not None:
                pts = tuple(found[metric])
                return ChartReading(True, "", metric, host, range_name, now, pts, from_store=False)
        try:
            found_rows = self._series(metric, host, now - span, now, max(2, points))
        except (SourceUnavailable, SchemaOutOfDate) as exc:
            return ChartReading(False, _store_reason(exc), metric, host, range_name, now)
        except ImportError:
            return ChartReading(False, "history store not available", metric, host, range_name, now)
        except ValueError as exc:  # unknown metric name
            return ChartReading(False, first_line(str(exc)), metric, host, range_name, now)
        return ChartReading(True, "", metric, host, range_name, now, tuple(found_rows))

    # -- supervisord ----------------------------------------------------------------------
    def check_supervisor(self, endpoint: SupervisorEndpoint) -> SupervisorReading:
        """Does this supervisord answer `supervisor.getState` within the RPC deadline?"""
        now = self.clock()
        from console.core.supervisor.errors import SupervisorFault  # xmlrpc only when used

        client = self._supervisor_client(endpoint)
        try:
            state = client.state()
        except (SourceUnavailable, SupervisorFault) as exc:
            return SupervisorReading(endpoint.name, False, first_line(str(exc)), now)
        return SupervisorReading(endpoint.name, True, first_line(state), now)

    def _supervisor_client(self, endpoint: SupervisorEndpoint) -> Any:
        """One read-only client per endpoint, kept: it holds a connection per thread."""
        from console.core.supervisor.client import SupervisorClient

        with self._lock:
            client = self._clients.get(endpoint.name)
            if client is None or client.endpoint != endpoint:
                timeout = min(self.settings.rpc_timeout, 3.0)
                client = SupervisorClient(endpoint, timeout=timeout, read_only=True)
                self._clients[endpoint.name] = client
            return client

    def close(self) -> None:
        """Release connections (called when the app exits)."""
        with self._lock:
            cache, self._cache = self._cache, None
            engine, self._engine = self._engine, None
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()
        if cache is not None:
            try:
                cache.close()
            except SourceUnavailable:
                pass  # closing a dead connection: nothing left to release
        if engine is not None:
            engine.dispose()
