"""The periodic job ledger: every periodic task, when it last ran, when it runs next, and
MISSED when a run that should have happened did not (huey never catches up missed runs).

Our own schedule is declared at the job functions (`jobs.schedule`) and published by the
worker with its heartbeat (`console.core.worker_info`): the ledger judges by the worker's own
table, never by the console's settings. Apps' periodic tasks come from what the instrumented
consumers record (`console.core.jobhistory`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from console.core.sanitize import clean, first_line

APP_GRACE_S = 60.0  # an app's crontab run may start this late before it counts as missed
OURS = "stackwatch"


@dataclass(frozen=True)
class PeriodicSpec:
    """One of our periodic jobs: every `every` seconds, or daily at `daily_hour` local time;
    `retries` tries after a failure; a queued run older than `expires` seconds is dropped."""

    name: str
    every: int | None = None
    daily_hour: int | None = None
    retries: int = 0
    expires: int | None = None


@dataclass(frozen=True)
class LedgerRow:
    """One line of the ledger."""

    task: str
    source: str  # "stackwatch" for our jobs, else the app's queue
    schedule: str
    last_run: float | None
    duration_ms: float | None
    outcome: str | None
    error: str | None
    next_run: float | None
    missed: bool


def describe(spec: PeriodicSpec, timezone: str) -> str:
    if spec.every:
        every = spec.every
        if every % 3600 == 0:
            return f"every {every // 3600}h"
        return f"every {every // 60}m" if every % 60 == 0 else f"every {every}s"
    return f"daily {spec.daily_hour:02d}:00 {timezone}"


def _daily_start(day: dt.date, hour: int, zone: ZoneInfo) -> float:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=zone).timestamp()


def window_start(spec: PeriodicSpec, at: float, zone: ZoneInfo) -> float:
    """Start of the newest run window that began at or before `at`."""
    if spec.every:
        return (at // spec.every) * spec.every
    day = dt.datetime.fromtimestamp(at, zone).date()
    start = _daily_start(day, spec.daily_hour or 0, zone)
    return (
        start
        if start <= at
        else _daily_start(day - dt.timedelta(days=1), spec.daily_hour or 0, zone)
    )


def _window_length(spec: PeriodicSpec) -> float:
    return float(spec.every) if spec.every else 3600.0  # a daily job may start within its hour


def _next_start(spec: PeriodicSpec, current: float, zone: ZoneInfo) -> float:
    if spec.every:
        return current + spec.every
    day = dt.datetime.fromtimestamp(current, zone).date() + dt.timedelta(days=1)
    return _daily_start(day, spec.daily_hour or 0, zone)


def ours(
    schedule: Sequence[PeriodicSpec],
    timezone: str,
    last: Mapping[str, Mapping[str, Any]],
    now: float,
) -> list[LedgerRow]:
    """Our jobs by the worker's published `schedule` and `timezone`: `last` maps job name ->
    {started, duration_ms, outcome, error}."""
    zone = ZoneInfo(timezone)
    rows = []
    for spec in schedule:
        run = last.get(spec.name) or {}
        started = _number(run.get("started"))
        current = window_start(spec, now, zone)
        # the newest window that has fully ended must hold a run, else it was missed
        ended = window_start(spec, now - _window_length(spec), zone)
        missed = started is not None and started < ended
        due_now = (started is None or started < current) and now < current + _window_length(spec)
        rows.append(
            LedgerRow(
                task=spec.name,
                source=OURS,
                schedule=describe(spec, timezone),
                last_run=started,
                duration_ms=_number(run.get("duration_ms")),
                outcome=clean(_text(run.get("outcome")), 40) or None,
                error=first_line(_text(run.get("error")), 300) or None,
                next_run=current if due_now else _next_start(spec, current, zone),
                missed=missed,
            )
        )
    return rows


def unscheduled(last: Mapping[str, Mapping[str, Any]]) -> list[LedgerRow]:
    """Our jobs known only from their recorded runs (no published table to judge them by):
    their last run, without a next run or MISSED."""
    return [
        LedgerRow(
            task=clean(name, 200),
            source=OURS,
            schedule="not published",
            last_run=_number(run.get("started")),
            duration_ms=_number(run.get("duration_ms")),
            outcome=clean(_text(run.get("outcome")), 40) or None,
            error=first_line(_text(run.get("error")), 300) or None,
            next_run=None,
            missed=False,
        )
        for name, run in sorted(last.items())
    ]


def apps(items: Mapping[str, Mapping[str, Any]], now: float, own_queue: str) -> list[LedgerRow]:
    """Instrumented apps' periodic tasks from their last recorded runs (ours excluded)."""
    rows = []
    for item in items.values():
        queue = clean(_text(item.get("queue")) or "?", 200)
        if queue == own_queue:
            continue
        due = _number(item.get("next_due"))
        started = _number(item.get("started"))
        rows.append(
            LedgerRow(
                task=clean(_text(item.get("task")) or "?", 200),
                source=queue,
                schedule="crontab" if due is not None else "periodic",
                last_run=started,
                duration_ms=_number(item.get("runtime_ms")),
                outcome=clean(_text(item.get("outcome")), 40) or None,
                error=None,
                next_run=due,
                missed=due is not None and now > due + APP_GRACE_S,
            )
        )
    return sorted(rows, key=lambda r: (r.source, r.task))


def newest(runs: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Per job name, the run with the latest start (cache and store views merged)."""
    best: dict[str, Mapping[str, Any]] = {}
    for run in runs:
        name, started = run.get("job"), _number(run.get("started"))
        if not isinstance(name, str) or started is None:
            continue
        if name not in best or started > (_number(best[name].get("started")) or 0):
            best[name] = run
    return best


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
