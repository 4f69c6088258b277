"""Failed jobs: persisted ones from `job_failures`, plus those still waiting in the cache."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, func, select

from console.core.queues.huey_tasks import NotRetryable, replay_arguments
from console.core.sanitize import clean, first_line
from console.core.store.engine import reading, writing
from console.core.store.models import JobFailureRow

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
    args = row.get("args")
    try:
        replay_arguments(args)
        why_not = None
    except NotRetryable as exc:
        why_not = str(exc)
    return Failure(
        id=id_,
        ts=float(row.get("ts") or 0),
        queue=clean(str(row.get("queue") or ""), 200),
        task=clean(str(row.get("task") or "?"), 200),
        task_id=clean(str(row.get("task_id") or ""), 64),
        retries=int(row.get("retries") or 0),
        exception=first_line(str(row.get("exception") or ""), 300),
        traceback=_traceback(row.get("traceback")),
        retryable=why_not is None,
        why_not=why_not,
        args=args if isinstance(args, dict) else None,
    )


def stored(engine: Engine, host: str, limit: int = LIST_LIMIT) -> list[Failure]:
    """Persisted failures of a host, newest first."""
    query = (
        select(JobFailureRow)
        .where(JobFailureRow.host == host)
        .order_by(JobFailureRow.ts.desc(), JobFailureRow.id.desc())
        .limit(limit)
    )
    with reading(engine) as conn:
        rows = conn.execute(query).mappings().all()
    return [_failure(int(r["id"]), r) for r in rows]


def waiting(items: Sequence[Mapping[str, Any]]) -> list[Failure]:
    """Failures still in the cache (the worker stores them every store interval)."""
    return [_failure(None, i) for i in items if isinstance(i, Mapping)]


def count_since(engine: Engine, host: str, since: float) -> int:
    query = select(func.count()).where(JobFailureRow.host == host, JobFailureRow.ts >= since)
    with reading(engine) as conn:
        return int(conn.execute(query).scalar() or 0)


def get(engine: Engine, host: str, failure_id: int) -> Failure | None:
    query = select(JobFailureRow).where(JobFailureRow.host == host, JobFailureRow.id == failure_id)
    with reading(engine) as conn:
        row = conn.execute(query).mappings().first()
    return _failure(int(row["id"]), row) if row is not None else None


def remove(engine: Engine, host: str, failure_id: int) -> int:
    """Delete one failure record; returns how many rows went (0 when already gone)."""
    stmt = delete(JobFailureRow).where(JobFailureRow.host == host, JobFailureRow.id == failure_id)
    with writing(engine) as conn:
        return int(conn.execute(stmt).rowcount or 0)


def flush(engine: Engine, host: str) -> int:
    """Delete every failure record of a host."""
    with writing(engine) as conn:
        return int(conn.execute(delete(JobFailureRow).where(JobFailureRow.host == host)).rowcount)
