"""The audit log: every action taken from the console or the CLI (who, when, what, result)."""

from __future__ import annotations

import getpass
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from console.core.store.engine import reading, writing
from console.core.store.models import AuditRow


@dataclass(frozen=True)
class AuditEntry:
    ts: float
    user: str
    host: str
    action: str
    target: str
    command: str
    result: str


def who() -> str:
    """The person behind the action: SUDO_USER when run through sudo, else USER."""
    user = os.environ.get("SUDO_USER") or os.environ.get("USER")
    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
    return user


def record(engine: Engine, entries: Iterable[AuditEntry]) -> int:
    """Append entries; raises SourceUnavailable when the database cannot be written."""
    rows = [vars(e) | {"command": e.command or None} for e in entries]
    if not rows:
        return 0
    with writing(engine) as conn:
        conn.execute(insert(AuditRow), rows)
    return len(rows)


def recent(engine: Engine, limit: int = 200) -> list[AuditEntry]:
    """Newest first."""
    query = select(AuditRow).order_by(AuditRow.ts.desc(), AuditRow.id.desc()).limit(limit)
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return [
        AuditEntry(r.ts, r.user, r.host, r.action, r.target, r.command or "", r.result)
        for r in rows
    ]


def entry(host: str, action: str, target: str, command: str, result: str) -> AuditEntry:
    """An entry stamped now, by `who()`."""
    return AuditEntry(time.time(), who(), host, action, target, command, result)
