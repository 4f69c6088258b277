"""The alert history table: written by the worker, read by the console, `alerts` and charts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select

from console.core.sanitize import clean
from console.core.store.engine import reading, writing
from console.core.store.models import AlertHistoryRow


@dataclass(frozen=True)
class HistoryEntry:
    ts: float
    fingerprint: str
    rule: str
    subject: str
    event: str
    summary: str
    value: float | None = None
    threshold: float | None = None
    target: str | None = None  # masked already
    detail: str | None = None


def record(engine: Engine, host: str, entries: Sequence[HistoryEntry]) -> int:
    if not entries:
        return 0
    rows = [
        {
            "host": host,
            "ts": e.ts,
            "fingerprint": e.fingerprint[:64],
            "rule": e.rule[:64],
            "subject": e.subject[:255],
            "event": e.event[:16],
            "summary": e.summary[:2000],
            "value": e.value,
            "threshold": e.threshold,
            "target": e.target[:255] if e.target else None,
            "detail": e.detail[:2000] if e.detail else None,
        }
        for e in entries
    ]
    with writing(engine) as conn:
        conn.execute(insert(AlertHistoryRow), rows)
    return len(rows)


def _finite(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def recent(
    engine: Engine,
    host: str,
    since: float,
    fingerprint: str | None = None,
    limit: int = 500,
    until: float | None = None,
) -> list[HistoryEntry]:
    """This host's history since `since` (and before `until`), newest first (one alert, or
    all)."""
    query = select(AlertHistoryRow).where(AlertHistoryRow.host == host, AlertHistoryRow.ts >= since)
    if until is not None:
        query = query.where(AlertHistoryRow.ts < until)
    if fingerprint is not None:
        query = query.where(AlertHistoryRow.fingerprint == fingerprint)
    query = query.order_by(AlertHistoryRow.ts.desc(), AlertHistoryRow.id.desc()).limit(limit)
    with reading(engine) as conn:
        return [
            HistoryEntry(
                ts=row.ts,
                fingerprint=clean(row.fingerprint, 64),
                rule=clean(row.rule, 64),
                subject=clean(row.subject, 255),
                event=clean(row.event, 16),
                summary=clean(row.summary, 1000),
                value=_finite(row.value),
                threshold=_finite(row.threshold),
                target=clean(row.target, 255) if row.target else None,
                detail=clean(row.detail, 500) if row.detail else None,
            )
            for row in conn.execute(query)
        ]
