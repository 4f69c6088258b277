"""Reads of an embedded (SQLite) store through the stdlib driver, for one-shot commands.

SQLAlchemy costs a command such as `stackwatch doctor` ~0.3 s of CPU to import, more than its
reads; with a plain `sqlite:///file` store the same few SELECTs go through sqlite3. Each one
spells a query of the store modules (queries.latest_bucket, ledger.last_runs, ...); tests hold
each pair to the same answer on a real store.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from urllib.parse import quote

from console.core.errors import SourceUnavailable
from console.core.sanitize import first_line
from console.core.store.job_run import JobRun

BUSY_S = 10.0  # as the engine's busy timeout
TIME_COLUMNS = {  # table -> the time column latest_bucket reads (fixed names, never input)
    "system_health_metrics": "bucket",
    "queue_metrics": "bucket",
    "performance_metrics": "bucket",
    "job_runs": "started",
}
LAST_RUNS = (
    "SELECT r.host, r.job, r.started, r.duration_ms, r.outcome, r.error FROM job_runs r"
    " JOIN (SELECT job, MAX(started) AS started FROM job_runs WHERE host = ? GROUP BY job) n"
    " ON r.job = n.job AND r.started = n.started WHERE r.host = ? ORDER BY r.job"
)


def plain_sqlite_path(url: str) -> str | None:
    """The file of a `sqlite:///path` URL without options (None: any other store)."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    path = url[len("sqlite:///") :]
    return path if path and path != ":memory:" else None


@contextlib.contextmanager
def opened(path: str) -> Iterator[sqlite3.Connection]:
    """The store file, read-write but never created; sqlite3 errors as SourceUnavailable."""
    try:
        uri = f"file:{quote(path)}?mode=rw"  # rw, not rwc: a missing store stays missing
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=BUSY_S)) as conn:
            yield conn
    except sqlite3.Error as exc:
        raise SourceUnavailable(f"database {path}: {first_line(str(exc))}") from None


def stored_revision(conn: sqlite3.Connection) -> str | None:
    """engine.stored_revision: the schema revision the file records."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if found is None:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def latest_bucket(conn: sqlite3.Connection, table: str) -> tuple[int, float | None]:
    """queries.latest_bucket: (row count, newest time) of one of TIME_COLUMNS' tables."""
    column = TIME_COLUMNS[table]
    count, newest = conn.execute(f"SELECT COUNT(*), MAX({column}) FROM {table}").fetchone()
    return int(count), None if newest is None else float(newest)


def last_runs(conn: sqlite3.Connection, host: str) -> list[JobRun]:
    """ledger.last_runs: the newest run of each job on a host, by job name."""
    return [JobRun(*row) for row in conn.execute(LAST_RUNS, (host, host))]
