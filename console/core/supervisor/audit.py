"""Audit every action result into the store (lazy: SQLAlchemy only when an action ran)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from console.core.errors import StackwatchError
from console.core.settings import Settings
from console.core.supervisor.models import ActionResult


def audit_results(
    settings: Settings, results: Sequence[ActionResult], engine: Any = None
) -> str | None:
    """Write one audit entry per endpoint result; returns a warning when it could not.
    `engine`: the caller's (the console's shared one); else one is opened for this write."""
    from console.core.store import audit
    from console.core.store.engine import make_engine

    entries = [
        audit.entry(settings.host, r.action, f"{r.endpoint}/{r.target}", r.command, r.summary())
        for r in results
    ]
    try:
        own = engine is None
        engine = make_engine(settings.resolved_database_url) if own else engine
        try:
            audit.record(engine, entries)
        finally:
            if own:
                engine.dispose()
    except StackwatchError as exc:
        return str(exc)
    return None
