"""The store queries behind the alert readings: each program's newest state, recent starts and
exits, and how many of each job's newest runs failed in a row."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from console.core.alerts.model import ExitReading, ProgramReading
from console.core.events.model import PROCESS
from console.core.sanitize import first_line
from console.core.store.engine import reading
from console.core.store.models import JobRunRow, ProcessEventRow

_TRANSITIONS = ("STARTING", "EXITED", "FATAL", "BACKOFF")


def latest_states(engine: Engine, host: str) -> dict[tuple[str, str], ProgramReading]:
    newest = (
        select(func.max(ProcessEventRow.id).label("id"))
        .where(ProcessEventRow.host == host, ProcessEventRow.kind == PROCESS)
        .group_by(ProcessEventRow.endpoint, ProcessEventRow.program)
        .subquery()
    )
    query = select(ProcessEventRow).join(newest, ProcessEventRow.id == newest.c.id)
    with reading(engine) as conn:
        return {
            (r.endpoint, r.program): ProgramReading(r.endpoint, r.program, r.to_state, r.ts)
            for r in conn.execute(query)
        }


def transitions_since(engine: Engine, host: str, since: float) -> dict[str, ExitReading]:
    """Starts and exits since `since`, keyed by stream id (or row id for polled ones)."""
    query = select(ProcessEventRow).where(
        ProcessEventRow.host == host,
        ProcessEventRow.ts >= since,
        ProcessEventRow.kind == PROCESS,
        ProcessEventRow.to_state.in_(_TRANSITIONS),
    )
    with reading(engine) as conn:
        return {
            r.stream_id or f"row:{r.id}": ExitReading(
                r.endpoint, r.program, r.ts, r.to_state, r.expected, r.detail
            )
            for r in conn.execute(query.limit(10_000))
        }


def failure_streaks(engine: Engine, host: str, look_at: int) -> dict[str, tuple[int, str | None]]:
    """Job -> (final failures in a row among its newest runs, the newest error)."""
    place = (
        func.row_number()
        .over(partition_by=JobRunRow.job, order_by=JobRunRow.started.desc())
        .label("place")
    )
    newest = (
        select(JobRunRow.job, JobRunRow.outcome, JobRunRow.error, place)
        .where(JobRunRow.host == host, JobRunRow.outcome.in_(("ok", "error")))
        .subquery()
    )
    query = (
        select(newest.c.job, newest.c.outcome, newest.c.error)
        .where(newest.c.place <= look_at)
        .order_by(newest.c.job, newest.c.place)
    )
    streaks: dict[str, tuple[int, str | None]] = {}
    done: set[str] = set()
    with reading(engine) as conn:
        for job, outcome, error in conn.execute(query):
            if job in done:
                continue
            if outcome != "error":
                done.add(job)
                continue
            count, newest_error = streaks.get(job, (0, None))
            streaks[job] = (count + 1, newest_error or (first_line(error or "", 200) or None))
    return streaks
