"""Failed jobs: persisted ones from `job_failures`, plus those still waiting in the cache."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from console.core.failure_record import parse_failure
from console.core.parse import Invalid, Unfit
from console.core.parse import invalid as invalid_reading
from console.core.queues.huey_tasks import NotRetryable, replay_arguments
from console.core.sanitize import clean, first_line

if TYPE_CHECKING:  # SQLAlchemy loads when the store is first read: `stackwatch queues` never
    from sqlalchemy import Engine

LIST_LIMIT = 200
WEEK = 7 * 86400.0


@dataclass(frozen=True)
class Failure:
    """A failed job, sanitized for the screen. `id` is None while it waits in the cache."""

    id: int | None
    ts: float
    queue: str
    task: str
    task_id: str
    retries: int
    exception: str  # first line
    traceback: str  # full (as captured), sanitized line by line
    retryable: bool
    why_not: str | None  # why it cannot be retried
    args: Mapping[str, Any] | None = None


def _traceback(text: Any) -> str:
    """Line by line: the recorder stores newlines made visible (`\\x0a`); show them as lines."""
    if not isinstance(text, str):
        return ""
    lines = text.replace("\\x0a", "\n").splitlines()
    return "\n".join(clean(line, 1000) for line in lines[:200])


def _failure(id_: int | None, row: Mapping[str, Any]) -> Failure:
    """A record as shown; raises Unfit when a field does not fit (see failure_record)."""
    record = parse_failure(row)
    args = record["args"]
    try:
        replay_arguments(args)
        why_not = None
    except NotRetryable as exc:
        why_not = str(exc)
    return Failure(
        id=id_,
        ts=record["ts"],
        queue=clean(record["queue"], 200),
        task=clean(record["task"] or "?", 200),
        task_id=clean(record["task_id"], 64),
        retries=record["retries"],
        exception=first_line(record["exception"], 300),
        traceback=_traceback(record["traceback"]),
        retryable=why_not is None,
        why_not=why_not,
        args=args,
    )


def _fitting(rows: Sequence[tuple[int | None, Any]]) -> tuple[list[Failure], list[Invalid]]:
    found, invalid = [], []
    for id_, row in rows:
        try:
            found.append(_failure(id_, row))
        except Unfit as exc:
            invalid.append(invalid_reading("failures", exc))
    return found, invalid


def stored(engine: Engine, host: str, limit: int = LIST_LIMIT) -> list[Failure]:
    """Persisted failures of a host, newest first."""
    from sqlalchemy import select

    from console.core.store.engine import reading
    from console.core.store.models import JobFailureRow

    query = (
        select(JobFailureRow)
        .where(JobFailureRow.host == host)
        .order_by(JobFailureRow.ts.desc(), JobFailureRow.id.desc())
        .limit(limit)
    )
    with reading(engine) as conn:
        rows = conn.execute(query).mappings().all()
    return _fitting([(int(r["id"]), r) for r in rows])[0]


def waiting(items: Sequence[Any]) -> tuple[list[Failure], list[Invalid]]:
    """Failures still in the cache (the worker stores them every store interval), and an
    Invalid for each record that does not fit."""
    return _fitting([(None, item) for item in items])


def count_since(engine: Engine, host: str, since: float) -> int:
    from sqlalchemy import func, select

    from console.core.store.engine import reading
    from console.core.store.models import JobFailureRow

    query = select(func.count()).where(JobFailureRow.host == host, JobFailureRow.ts >= since)
    with reading(engine) as conn:
        return int(conn.execute(query).scalar() or 0)


def get(engine: Engine, host: str, failure_id: int) -> Failure | None:
    from sqlalchemy import select

    from console.core.store.engine import reading
    from console.core.store.models import JobFailureRow

    query = select(JobFailureRow).where(JobFailureRow.host == host, JobFailureRow.id == failure_id)
    with reading(engine) as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    found = _fitting([(int(row["id"]), row)])[0]
    return found[0] if found else None


def remove(engine: Engine, host: str, failure_id: int) -> int:
    """Delete one failure record; returns how many rows went (0 when already gone)."""
    from sqlalchemy import delete

    from console.core.store.engine import writing
    from console.core.store.models import JobFailureRow

    stmt = delete(JobFailureRow).where(JobFailureRow.host == host, JobFailureRow.id == failure_id)
    with writing(engine) as conn:
        return int(conn.execute(stmt).rowcount or 0)


def remove_older(engine: Engine, host: str, queue: str, before: float) -> int:
    """Delete a queue's failure records older than `before`; returns how many went."""
    from sqlalchemy import delete

    from console.core.store.engine import writing
    from console.core.store.models import JobFailureRow

    stmt = delete(JobFailureRow).where(
        JobFailureRow.host == host, JobFailureRow.queue == queue, JobFailureRow.ts < before
    )
    with writing(engine) as conn:
        return int(conn.execute(stmt).rowcount or 0)


def flush(engine: Engine, host: str) -> int:
    """Delete every failure record of a host."""
    from sqlalchemy import delete

    from console.core.store.engine import writing
    from console.core.store.models import JobFailureRow

    with writing(engine) as conn:
        return int(conn.execute(delete(JobFailureRow).where(JobFailureRow.host == host)).rowcount)
