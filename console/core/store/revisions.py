"""The schema revision this stackwatch ships, read from the migration files (no SQLAlchemy, no
alembic), and the words for a database at another one."""

from __future__ import annotations

import re
from pathlib import Path

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"^revision\b[^=]*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def head_from_files() -> str | None:
    """The newest shipped migration from the files' revision lines (None: not exactly one)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if (revision := _REVISION.search(source)) is None:
            continue
        revisions.add(revision.group(1))
        if (down := _DOWN_REVISION.search(source)) is not None:
            parents.update(_QUOTED.findall(down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def schema_problem(current: str | None, head: str) -> str | None:
    """Why a database at `current` cannot be used by this stackwatch (None: it can)."""
    if current == head:
        return None
    if current is None:
        return "the database has no stackwatch schema: run `stackwatch db upgrade`"
    return (
        f"the database schema is at {current}, this stackwatch needs {head}: "
        "run `stackwatch db upgrade`"
    )
