"""Keep what the worker never uses out of its memory (it runs for days on every host)."""

from __future__ import annotations

import sys


def skip_unused_drivers(database_url: str) -> None:
    """huey imports psycopg only to offer PostgresHuey, which stackwatch never uses (~9 MB).

    When the store is not PostgreSQL nothing else in the worker needs it, so its import is
    made to fail softly (huey catches ImportError). Call before huey is imported.
    """
    if database_url.startswith("postgres") or "psycopg" in sys.modules:
        return
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # import psycopg -> ImportError
