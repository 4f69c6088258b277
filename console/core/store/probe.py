"""Is the store there, with our schema? Asked without SQLAlchemy, for the console's header.

The dashboard reads its last hour from the cache and loads SQLAlchemy (~24 MB) only for long
ranges, yet the header must still say whether the database answers. SQLite is opened
read-only with the standard library; PostgreSQL is asked with psycopg directly.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlsplit

from console.core.sanitize import first_line
from console.core.settings import mask_url

NO_SCHEMA = "no stackwatch schema: run `stackwatch db upgrade`"
QUERY = "SELECT version_num FROM alembic_version"


def probe_store(url: str, timeout: float = 3.0) -> tuple[bool, str]:
    """(True, "") when the database answers and holds our schema; else (False, why)."""
    scheme = url.split(":", 1)[0]
    if scheme.startswith("sqlite"):
        return _probe_sqlite(url, timeout)
    if scheme.startswith("postgres"):
        return _probe_postgres(url, timeout)
    return False, f"cannot check a {scheme} database"


def _probe_sqlite(url: str, timeout: float) -> tuple[bool, str]:
    path = Path(unquote(url.split(":///", 1)[1] if ":///" in url else ""))
    if not path.is_file():
        return False, f"no database file at {path}"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout)
        try:
            conn.execute(QUERY).fetchall()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        return False, NO_SCHEMA if "no such table" in str(exc) else first_line(str(exc))
    except sqlite3.Error as exc:
        return False, first_line(str(exc))
    return True, ""


def _probe_postgres(url: str, timeout: float) -> tuple[bool, str]:
    try:
        import psycopg
    except ImportError:
        return False, "psycopg is not installed (pip install 'stackwatch[postgres]')"
    parts = urlsplit(url)
    conninfo = parts._replace(scheme="postgresql").geturl()
    try:
        with psycopg.connect(conninfo, connect_timeout=max(1, int(timeout))) as conn:
            conn.execute(QUERY).fetchall()
    except psycopg.errors.UndefinedTable:
        return False, NO_SCHEMA
    except psycopg.Error as exc:
        return False, f"{mask_url(url)}: {first_line(str(exc)) or type(exc).__name__}"
    return True, ""
