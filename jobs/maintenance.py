"""cleanup_old_metrics: roll minute rows up into hourly rows, prune past retention in batches.

huey never runs a periodic task whose minute passed while the consumer was down, so the last
run time is persisted and the worker runs a missed cleanup when it starts.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from console.core.store import ledger, queries
from jobs.collection import Outcome
from jobs.context import JobContext
from jobs.schedule import RETRIES, periodic

LAST_RUN_KEY = "cleanup_old_metrics.last_run"
DAY = 86400
ROLLUP_AFTER_S = DAY  # minute rows older than this are rolled up into hourly rows
METRIC_TABLES = ("system_health_metrics", "queue_metrics", "performance_metrics")
LOG_TABLES = ("job_runs", "job_failures", "process_events", "alert_history")


def last_slot(now: float, hour: int, timezone: str) -> float:
    """The most recent cleanup time (hour:00 in the timezone) at or before `now`."""
    zone = ZoneInfo(timezone)
    local = dt.datetime.fromtimestamp(now, zone)
    slot = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if slot > local:
        slot = (slot - dt.timedelta(days=1)).replace(hour=hour)
    return slot.timestamp()


def cleanup_due(last_run: float | None, now: float, hour: int, timezone: str) -> bool:
    """True when the cleanup has not run since its most recent scheduled time."""
    return last_run is None or last_run < last_slot(now, hour, timezone)


def read_last_run(ctx: JobContext) -> float | None:
    value = ledger.get_state(ctx.engine, LAST_RUN_KEY)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


CLEANUP_DEADLINE_S = 900.0  # a big prune takes minutes; a hung database must still let go


@periodic(daily_at="cleanup_hour", retries=RETRIES)
def cleanup_old_metrics(ctx: JobContext, now: float | None = None) -> Outcome:
    """Rollup, then prune raw rows past retention and rollups past theirs, in batches."""
    now = ctx.clock() if now is None else now
    return ctx.store.run(lambda: _cleanup(ctx, now), deadline=CLEANUP_DEADLINE_S)


def _cleanup(ctx: JobContext, now: float) -> Outcome:
    settings = ctx.settings
    out = Outcome()
    rolled = queries.rollup(
        ctx.engine, before=now - ROLLUP_AFTER_S, after=now - settings.retention_days * DAY
    )
    out.wrote.append(f"rollup: {rolled} hourly rows")
    raw_cut = now - settings.retention_days * DAY
    rollup_cut = now - settings.rollup_retention_days * DAY
    for table in METRIC_TABLES:
        deleted = queries.prune(ctx.engine, table, raw_cut, rollups=False)
        deleted += queries.prune(ctx.engine, table, rollup_cut, rollups=True)
        out.wrote.append(f"pruned {deleted} {table} rows")
    for table in LOG_TABLES:
        out.wrote.append(f"pruned {queries.prune(ctx.engine, table, raw_cut)} {table} rows")
    ledger.set_state(ctx.engine, LAST_RUN_KEY, repr(now), now)
    return out
