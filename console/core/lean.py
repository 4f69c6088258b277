"""Keep drivers a process never uses out of it: the worker runs for days on every host, and a
one-shot command (`stackwatch queues`) would spend ~0.1 s importing psycopg for nothing."""

from __future__ import annotations

import sys


def skip_unused_drivers(database_url: str) -> None:
    """huey imports psycopg only to offer PostgresHuey, which stackwatch never uses (~9 MB).

    When the store is not PostgreSQL nothing else in the process needs it, so its import is
    made to fail softly (huey catches ImportError). Call before huey is imported, before any
    thread starts (the CLI does, right after loading the settings).
    """
    if database_url.startswith("postgres") or "psycopg" in sys.modules:
        return
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # import psycopg -> ImportError
