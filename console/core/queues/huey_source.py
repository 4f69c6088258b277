"""Open a watched huey queue through huey's own API, on Redis or in a SQLite file.

A huey QueueSpec's key names the huey instance: `demo_shop` (Redis), or
`sqlite:/path/to/file.db#demo_shop` (SqliteHuey). Without `#name`, the single queue stored in
the file is used (or the spec's name when the file holds none or several, one being it).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.core.settings import QueueSpec

SQLITE_PREFIX = "sqlite:"


class HueyKeyProblem(Exception):
    """The huey queue's file is missing or ambiguous (reported on that queue only)."""


@dataclass(frozen=True)
class HueyTarget:
    """Where a huey queue lives: `path` is None for Redis; `name` may be None (auto, SQLite)."""

    name: str | None
    path: str | None = None


def parse_huey_key(spec: QueueSpec) -> HueyTarget:
    """The huey instance name and, for SqliteHuey, the file."""
    key = spec.backend_key
    if not key.startswith(SQLITE_PREFIX):
        return HueyTarget(name=key)
    path, _, name = key[len(SQLITE_PREFIX) :].partition("#")
    return HueyTarget(name=name or None, path=path)


def is_sqlite(spec: QueueSpec) -> bool:
    """A huey queue kept in a SQLite file (readable without Redis)."""
    return spec.kind == "huey" and spec.backend_key.startswith(SQLITE_PREFIX)


def _names_in_file(path: str) -> list[str]:
    """Queue names present in a SqliteHuey file (read-only: never creates or locks it)."""
    uri = f"file:{path}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=2)
    try:
        rows = conn.execute(
            "select queue from task union select queue from schedule union select queue from kv"
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise
    finally:
        conn.close()
    return sorted(str(r[0]) for r in rows)


def resolve_sqlite_name(spec: QueueSpec, target: HueyTarget) -> str:
    """The huey name to read in the file: explicit, the only one there, or the spec's."""
    if target.name:
        return target.name
    names = _names_in_file(str(target.path))
    if not names or spec.name in names:
        return spec.name
    if len(names) == 1:
        return names[0]
    raise HueyKeyProblem(
        f"{target.path} holds queues {', '.join(names[:5])}: add #name to the key to pick one"
    )


def open_huey(spec: QueueSpec, client: Any = None) -> Any:
    """A huey instance bound to the spec's storage (never creates a missing SQLite file)."""
    from huey import RedisHuey, SqliteHuey

    target = parse_huey_key(spec)
    if target.path is None:
        if client is None:
            raise HueyKeyProblem("no redis_url configured")
        return RedisHuey(target.name, connection_pool=client.connection_pool)
    if not Path(target.path).is_file():
        raise HueyKeyProblem(f"huey file {target.path} does not exist")
    name = resolve_sqlite_name(spec, target)
    return SqliteHuey(name, filename=target.path, create_tables=False, timeout=2)


def close_huey(app: Any) -> None:
    """Close a SqliteHuey's connection (Redis pools belong to the caller's client)."""
    close = getattr(app.storage, "close", None)
    if close is not None and app.storage.__class__.__name__.startswith("Sqlite"):
        close()
