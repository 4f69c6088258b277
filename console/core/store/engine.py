"""Engines and schema versions.

SQLite: WAL (readers never block the writer), a busy timeout, and BEGIN IMMEDIATE for every
transaction that is not marked read-only, because a deferred transaction that reads and then
writes gets SQLITE_BUSY at once, without the busy handler. pysqlite's own transaction handling
is switched off (SQLAlchemy's documented recipe) so our BEGIN is the one that runs.
PostgreSQL: pool pre-ping, so a server restart costs at most one failed query.
Deadlines everywhere, so a slow database answers "no" instead of holding the caller: connect
(libpq connect_timeout), pool checkout (pool_timeout), each statement (server-side
statement_timeout), and SQLite's busy timeout. A database that answers nothing at all (a
stopped server) is the caller's deadline to enforce: the worker's store gate does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, inspect, text
from sqlalchemy.engine import make_url

from console.core.errors import SchemaOutOfDate, SourceUnavailable
from console.core.private_files import private_file
from console.core.sanitize import first_line
from console.core.settings import mask_url
from console.core.store.revisions import MIGRATIONS, head_from_files, schema_problem

READ_ONLY = "stackwatch_read_only"
SQLITE_BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 5
POOL_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 20_000  # the longest statement we run: a batch of the daily prune


def normalize_url(url: str) -> str:
    """postgres:// and postgresql:// use psycopg 3 (the `postgres` extra)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    """An engine for the store; connects lazily (creating it touches no service)."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            private_file(parsed.database)  # 0600 before SQLite opens it (and its -wal/-shm)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=4,
        pool_recycle=1800,
        pool_timeout=POOL_TIMEOUT_S,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
        },
    )


class Engines:
    """One engine per URL, made on first use: a process that reads the store in several places
    opens one pool, not one per reader. Thread-safe; `dispose` releases every pool."""

    def __init__(self) -> None:
        self._engines: dict[str, Engine] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> Engine:
        key = normalize_url(url)
        with self._lock:
            engine = self._engines.get(key)
            if engine is None:
                engine = self._engines[key] = make_engine(key)
            return engine

    def __len__(self) -> int:
        return len(self._engines)

    def dispose(self) -> None:
        with self._lock:
            engines, self._engines = list(self._engines.values()), {}
        for engine in engines:
            engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        # auto_vacuum must be set before the first table exists; then pruned space is returned
        # to the file system by `PRAGMA incremental_vacuum` instead of needing a full VACUUM.
        cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        read_only = conn.get_execution_options().get(READ_ONLY)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A short read transaction (deferred on SQLite, so it never waits for the writer)."""
    with store_errors(engine), engine.connect() as conn:
        conn.execution_options(**{READ_ONLY: True})
        with conn.begin():
            yield conn


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One atomic write: all of it commits, or none of it (rolled back on any exception)."""
    with store_errors(engine), engine.begin() as conn:
        yield conn


@contextmanager
def store_errors(engine: Engine) -> Iterator[None]:
    """Connection-level failures become SourceUnavailable with one readable line. A file that
    is not a database (or a damaged one) is raised as the bare DatabaseError class: the store
    is unusable, like a server that is down."""
    try:
        yield
    except (exc.OperationalError, exc.InterfaceError, exc.DatabaseError) as error:
        if type(error) not in (exc.OperationalError, exc.InterfaceError, exc.DatabaseError):
            raise  # integrity or programming errors are ours to fix, not an outage
        where = mask_url(engine.url.render_as_string(hide_password=False))
        detail = first_line(str(error.orig) if error.orig is not None else str(error))
        raise SourceUnavailable(f"database {where}: {detail}") from None
    except exc.TimeoutError:  # every pooled connection is busy (or stuck on a hung server)
        where = mask_url(engine.url.render_as_string(hide_password=False))
        raise SourceUnavailable(
            f"database {where}: no free connection within {POOL_TIMEOUT_S} s"
        ) from None


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with reading(engine) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the shipped migrations (what `stackwatch db upgrade` does)."""
    from alembic import command

    with store_errors(engine):
        command.upgrade(_alembic_config(engine), revision)


def stored_revision(engine: Engine) -> str | None:
    """The schema revision the database records, read without alembic (the worker's ~8 MB)."""
    with reading(engine) as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def shipped_head(engine: Engine) -> str:
    """The newest shipped migration, read from the files (alembic when they give no one head)."""
    return head_from_files() or head_revision(engine)


def check_schema(engine: Engine) -> None:
    """Refuse to run on a schema older (or newer) than this version of stackwatch."""
    problem = schema_problem(stored_revision(engine), shipped_head(engine))
    if problem is not None:
        raise SchemaOutOfDate(problem)
