"""Write a queue action to the audit log (the shared AuditRow table).

A stopgap until `console.core.store.audit` (processes branch) lands on main: same row shape,
so the lead can switch this to `audit.record(engine, [audit.entry(...)])` in one line.
"""

from __future__ import annotations

import getpass
import os
import time

from sqlalchemy import Engine, insert

from console.core.store.engine import writing
from console.core.store.models import AuditRow


def who() -> str:
    """The person behind the action: SUDO_USER when run through sudo, else the login."""
    user = os.environ.get("SUDO_USER") or os.environ.get("USER")
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def note(engine: Engine, host: str, action: str, target: str, command: str, result: str) -> None:
    """Append one row; raises SourceUnavailable when the database cannot be written."""
    row = {
        "ts": time.time(),
        "user": who(),
        "host": host,
        "action": action,
        "target": target,
        "command": command or None,
        "result": result,
    }
    with writing(engine) as conn:
        conn.execute(insert(AuditRow), [row])
