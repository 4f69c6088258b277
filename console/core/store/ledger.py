"""The job ledger (`job_runs`), persisted job failures, and small persisted state values."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite

from console.core.failure_record import parse_failure
from console.core.parse import Unfit
from console.core.store.engine import reading, writing
from console.core.store.job_run import JobRun
from console.core.store.models import JobFailureRow, JobRunRow, StateRow

__all__ = ["JobRun", "get_state", "last_runs", "record_failures", "record_runs", "set_state"]


def record_runs(engine: Engine, runs: Sequence[JobRun]) -> int:
    """Append runs to the ledger in one transaction."""
    if not runs:
        return 0
    with writing(engine) as conn:
        conn.execute(
            JobRunRow.__table__.insert(),
            [
                {
                    "host": r.host,
                    "job": r.job,
                    "started": r.started,
                    "duration_ms": r.duration_ms,
                    "outcome": r.outcome,
                    "error": r.error,
                }
                for r in runs
            ],
        )
    return len(runs)


def last_runs(engine: Engine, host: str) -> list[JobRun]:
    """The newest run of each job on a host, by job name."""
    newest = (
        select(JobRunRow.job, func.max(JobRunRow.started).label("started"))
        .where(JobRunRow.host == host)
        .group_by(JobRunRow.job)
        .subquery()
    )
    query = (
        select(JobRunRow)
        .join(newest, (JobRunRow.job == newest.c.job) & (JobRunRow.started == newest.c.started))
        .where(JobRunRow.host == host)
        .order_by(JobRunRow.job)
    )
    with reading(engine) as conn:
        return [
            JobRun(r.host, r.job, r.started, r.duration_ms, r.outcome, r.error)
            for r in conn.execute(query)
        ]


def record_failures(engine: Engine, host: str, failures: Sequence[Any]) -> int:
    """Persist failures reported by instrumented huey apps (as pushed by JobRecorder); a
    record that does not fit is skipped (it never blocks the others), and one already stored
    (same host, task id and time: a store cut short, then retried) is not stored twice."""
    rows = []
    for item in failures:
        try:
            rows.append({"host": host, **parse_failure(item)})
        except Unfit:
            continue
    if not rows:
        return 0
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(JobFailureRow).on_conflict_do_nothing(
        index_elements=["host", "task_id", "ts"]
    )
    with writing(engine) as conn:
        conn.execute(stmt, rows)
    return len(rows)


def get_state(engine: Engine, key: str) -> str | None:
    with reading(engine) as conn:
        return conn.execute(select(StateRow.value).where(StateRow.key == key)).scalar()


def set_state(engine: Engine, key: str, value: str, now: float | None = None) -> None:
    """Insert or replace one persisted value."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    row = {"key": key, "value": value, "updated": time.time() if now is None else now}
    stmt = dialect.insert(StateRow).values(row)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"], set_={"value": row["value"], "updated": row["updated"]}
    )
    with writing(engine) as conn:
        conn.execute(stmt)
