"""The dashboard's feed over the real cache, store and supervisord (the shared connections).

The last hour comes from the cache's recent lists when the worker writes them (no SQLAlchemy
for the 1h views), longer ranges from the store, downsampled in SQL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from console.core.cache.entries import ENTRIES, heartbeat_of, read_entry
from console.core.errors import SchemaOutOfDate, SourceUnavailable
from console.core.feeds.connections import Connections
from console.core.feeds.dashboard import (
    HOUR_S,
    CacheReading,
    ChartReading,
    HistoryReading,
    SupervisorReading,
)
from console.core.metrics import Point
from console.core.parse import Invalid
from console.core.sanitize import clean, first_line
from console.core.settings import SupervisorEndpoint
from console.core.sources import parse_worker_store
from console.core.worker_info import parse_worker_info

Clock = Callable[[], float]


def _store_reason(exc: Exception) -> str:
    """One line; a store without tables gets the command that creates them."""
    reason = first_line(str(exc)) or "unreachable"
    if "no such table" in reason or "does not exist" in reason:
        reason = "no stackwatch schema: run `stackwatch db upgrade`"
    return reason


class LiveDashboard:
    """The real dashboard feed. Methods block (run them in threads) and never raise."""

    def __init__(self, connections: Connections, clock: Clock = time.time) -> None:
        self.connections = connections
        self.settings = connections.settings
        self.clock = clock

    # -- cache ----------------------------------------------------------------------------
    def _known_hosts(self, host: str) -> tuple[str, ...]:
        known = self.connections.cache().latest_hosts("health")
        return tuple(sorted({clean(h, 255) for h in known} | {host}))

    def read_cache(self, host: str, as_of: float | None = None) -> CacheReading:
        now = self.clock()
        if as_of is not None:
            return self._past("past_cache", host, as_of, now)
        try:
            cache = self.connections.cache()
            entries = {kind: read_entry(cache, kind, host) for kind in ENTRIES}
            latest_beat = cache.heartbeat(host)
            hosts = self._known_hosts(host)
        except SourceUnavailable as exc:
            return CacheReading(False, first_line(str(exc)) or "unreachable", host, now)
        beat = heartbeat_of(latest_beat)
        payload = latest_beat.payload if latest_beat.ok else None
        store = parse_worker_store(payload.get("store")) if payload else None  # the worker's view
        invalid = tuple(v for v in (*entries.values(), beat) if isinstance(v, Invalid))
        health, queues, perf = (None if isinstance(v, Invalid) else v for v in entries.values())
        beat_ts = None if isinstance(beat, Invalid) else beat
        # what the worker runs, published with its beat: staleness is judged by it
        worker = parse_worker_info(latest_beat.payload, beat_ts) if beat_ts is not None else None
        return CacheReading(
            True, "", host, now, health, queues, perf, beat_ts, hosts, invalid, worker, store
        )

    def _past(self, name: str, *args: Any) -> Any:
        """A reading at a past time, from the store (console.core.feeds.dashboard_past)."""
        from console.core.feeds import dashboard_past

        return getattr(dashboard_past, name)(self.connections.engine(), *args)

    # -- history --------------------------------------------------------------------------
    def _series(self, metric: str, host: str, since: float, until: float, points: int) -> Any:
        from console.core.store import queries

        return queries.series(self.connections.engine(), metric, host, since, until, points)

    def _recent(
        self, host: str, metrics: tuple[str, ...], since: float, until: float, points: int
    ) -> dict[str, list[Point]] | None:
        """The series from the cache's recent lists, or None: no list (an older worker), the
        cache unreachable, or a name the lists do not know. The caller then asks the store."""
        from console.core.recent import recent_series

        try:
            interval = self.settings.collect_interval
            cache = self.connections.cache()
            return recent_series(cache, host, metrics, since, until, points, interval)
        except (SourceUnavailable, ValueError):
            return None

    def read_history(
        self, host: str, metrics: tuple[str, ...], points: int, as_of: float | None = None
    ) -> HistoryReading:
        now = self.clock()
        if as_of is not None:
            return self._past("past_history", host, metrics, points, as_of, now)
        found = self._recent(host, metrics, now - HOUR_S, now, points)
        if found is None:
            return self._store_history(host, metrics, points, now)
        try:
            hosts = self._known_hosts(host)
        except SourceUnavailable:
            hosts = (host,)
        series = {m: tuple(p.value for p in pts) for m, pts in found.items()}
        from console.core.store.probe import probe_store

        db_ok, db_reason = probe_store(self.settings.resolved_database_url)
        return HistoryReading(
            True, "", host, now, series, hosts, False, db_ok, "" if db_ok else db_reason
        )

    def _store_history(
        self, host: str, metrics: tuple[str, ...], points: int, now: float
    ) -> HistoryReading:
        try:
            # No alembic check here: it would cost the console ~11 MB; a missing table says enough.
            from console.core.store import queries

            series = {}
            for metric in metrics:
                try:
                    found = self._series(metric, host, now - HOUR_S, now, points)
                except ValueError:  # a queue series the store does not know: no sparkline
                    continue
                series[metric] = tuple(p.value for p in found)
            hosts = tuple(clean(h, 255) for h in queries.hosts(self.connections.engine()))
        except (SourceUnavailable, SchemaOutOfDate) as exc:
            return HistoryReading(False, _store_reason(exc), host, now)
        return HistoryReading(True, "", host, now, series, hosts)

    def read_chart(
        self, host: str, metric: str, span_s: int, points: int, as_of: float | None = None
    ) -> ChartReading:
        now = self.clock()
        if as_of is not None:
            return self._past("past_chart", host, metric, span_s, points, as_of, now)
        points = max(2, points)
        if span_s <= HOUR_S:
            found = self._recent(host, (metric,), now - span_s, now, points)
            if found is not None:
                pts = tuple(found[metric])
                marks = self._markers(host, now - span_s, now, from_store=False)
                return ChartReading(
                    True, "", metric, host, span_s, now, pts, from_store=False, markers=marks
                )
        try:
            rows = self._series(metric, host, now - span_s, now, points)
        except (SourceUnavailable, SchemaOutOfDate) as exc:
            return ChartReading(False, _store_reason(exc), metric, host, span_s, now)
        except ValueError as exc:  # unknown metric name
            return ChartReading(False, first_line(str(exc)), metric, host, span_s, now)
        marks = self._markers(host, now - span_s, now, from_store=True)
        return ChartReading(True, "", metric, host, span_s, now, tuple(rows), markers=marks)

    def _markers(self, host: str, since: float, until: float, from_store: bool) -> tuple:
        """Chart markers from the event stream (last hour) or the store; none when unreadable.
        Alerts firing are read apart: either source may fail without the other."""
        from console.core.events.markers import markers, with_alerts

        try:
            if from_store:
                from console.core.store.process_events import marker_events

                events = marker_events(self.connections.engine(), host, since, until)
            else:
                from console.core.events.timeline import stream_tail

                events = stream_tail(self.connections.cache(), host)
        except (SourceUnavailable, SchemaOutOfDate):
            events = []  # the chart says why its own data is missing; markers just stay away
        alerts = self._alerts(host, since, until, from_store)
        return with_alerts(markers(events, since, until), alerts)

    def _alerts(self, host: str, since: float, until: float, from_store: bool) -> tuple:
        """Alerts firing in the range: the store's history, or (the last hour, kept in the
        cache for a day) each alert's last firing."""
        from console.core.events.markers import alert_markers, state_markers

        try:
            if from_store:
                from console.core.store.alert_history import recent

                engine = self.connections.engine()
                history = recent(engine, host, since, limit=200, until=until)
                return alert_markers(history, since, until)
            from console.core.alerts.kept import load_states

            states = load_states(self.connections.cache(), host).values()
            return state_markers(states, since, until)
        except (SourceUnavailable, SchemaOutOfDate):
            return ()

    # -- supervisord ----------------------------------------------------------------------
    def check_supervisor(
        self, endpoint: SupervisorEndpoint, as_of: float | None = None
    ) -> SupervisorReading:
        now = self.clock()
        # supervisord keeps no past: its reachability is always now (the header's chip)
        from console.core.supervisor.errors import SupervisorFault  # xmlrpc only when used

        try:
            state = self.connections.supervisor(endpoint).state()
        except (SourceUnavailable, SupervisorFault) as exc:
            return SupervisorReading(endpoint.name, False, first_line(str(exc)), now)
        return SupervisorReading(endpoint.name, True, first_line(state), now)

    def close(self) -> None:
        """Nothing of its own: the connections belong to the feeds."""
