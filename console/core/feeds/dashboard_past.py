"""The dashboard at a past time (`as_of`): every value from the store, never the cache.

The panels get the stored row of that minute, or the hourly rollup when the minute rows are
pruned, and a note that says which; the sparklines and the chart end at `as_of`.
"""

from __future__ import annotations

from typing import Any

from console.core.errors import SchemaOutOfDate, SourceUnavailable
from console.core.feeds.dashboard import HOUR_S, CacheReading, ChartReading, HistoryReading
from console.core.sanitize import clean, first_line

STORE_ERRORS = (SourceUnavailable, SchemaOutOfDate)


def store_reason(exc: Exception) -> str:
    """One line; a store without tables gets the command that creates them."""
    reason = first_line(str(exc)) or "unreachable"
    if "no such table" in reason or "does not exist" in reason:
        reason = "no stackwatch schema: run `stackwatch db upgrade`"
    return reason


def past_cache(engine: Any, host: str, as_of: float, now: float) -> CacheReading:
    """Health, queues and performance as stored at `as_of`, with a note of which rows."""
    from console.core.store import at_time

    # No host list here: `select distinct host` scans a year of rows; the live polls keep it.
    try:
        health, found_h = at_time.health_at(engine, host, as_of)
        queues, found_q = at_time.queues_at(engine, host, as_of)
        perf, found_p = at_time.performance_at(engine, host, as_of)
    except STORE_ERRORS as exc:
        return CacheReading(False, store_reason(exc), host, now, as_of=as_of)
    nothing = "nothing stored at that time"
    found = {"health": found_h, "queue": found_q, "perf": found_p}
    notes = {what: f.note if f is not None else nothing for what, f in found.items()}
    kinds = sorted({f.note for f in found.values() if f is not None})
    note = " + ".join(kinds) if kinds else nothing
    return CacheReading(
        True,
        "",
        host,
        now,
        health,
        queues,
        perf,
        hosts=(clean(host, 255),),
        as_of=as_of,
        note=note,
        notes=notes,
    )


def past_history(
    engine: Any, host: str, metrics: tuple[str, ...], points: int, as_of: float, now: float
) -> HistoryReading:
    """The hour before `as_of` of each sparkline series."""
    from console.core.store import queries

    series = {}
    try:
        for metric in metrics:
            try:
                found = queries.series(engine, metric, host, as_of - HOUR_S, as_of, points)
            except ValueError:  # a queue series the store does not know: no sparkline
                continue
            series[metric] = tuple(p.value for p in found)
    except STORE_ERRORS as exc:
        return HistoryReading(False, store_reason(exc), host, now, as_of=as_of)
    return HistoryReading(True, "", host, now, series, (host,), as_of=as_of)


def past_chart(
    engine: Any, host: str, metric: str, span_s: int, points: int, as_of: float, now: float
) -> ChartReading:
    """`metric` over the `span_s` seconds before `as_of`, with the markers of that range."""
    from console.core.events.markers import alert_markers, markers, with_alerts
    from console.core.store import queries
    from console.core.store.alert_history import recent
    from console.core.store.process_events import marker_events

    since = as_of - span_s
    try:
        rows = queries.series(engine, metric, host, since, as_of, max(2, points))
        events = marker_events(engine, host, since, as_of)
        history = recent(engine, host, since, limit=200, until=as_of)
    except STORE_ERRORS as exc:
        return ChartReading(False, store_reason(exc), metric, host, span_s, now, as_of=as_of)
    except ValueError as exc:  # unknown metric name
        return ChartReading(False, first_line(str(exc)), metric, host, span_s, now, as_of=as_of)
    marks = with_alerts(markers(events, since, as_of), alert_markers(history, since, as_of))
    return ChartReading(
        True, "", metric, host, span_s, now, tuple(rows), markers=marks, as_of=as_of
    )
