"""Doctor's database checks: schema current, metric tables fresh, periodic jobs on time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from console.core.doctor_jobs import check_jobs, intervals
from console.core.doctor_model import FAIL, OK, WARN, Check, age_text
from console.core.errors import SchemaOutOfDate, SourceUnavailable
from console.core.sanitize import clean
from console.core.settings import Settings
from console.core.worker_info import WorkerInfo

TABLES = ("system_health_metrics", "queue_metrics", "performance_metrics")


def check_database(
    settings: Settings, now: float, worker: WorkerInfo | None, light: bool = True
) -> Iterator[Check]:
    """The database checks; a plain SQLite store is read through sqlite3 (`light`), which
    spares the command SQLAlchemy's import (store/light.py)."""
    from console.core.store.light import plain_sqlite_path
    from console.core.store.revisions import head_from_files

    path = plain_sqlite_path(settings.resolved_database_url) if light else None
    head = head_from_files() if path is not None else None
    try:
        if path is not None and head is not None:
            yield from _light_checks(settings, now, worker, path, head)
        else:
            yield from _engine_checks(settings, now, worker)
    except SourceUnavailable as exc:
        yield Check("database", "reachable", FAIL, clean(str(exc)), _database_fix(str(exc)))


def _light_checks(
    settings: Settings, now: float, worker: WorkerInfo | None, path: str, head: str
) -> Iterator[Check]:
    from console.core.store import light
    from console.core.store.revisions import schema_problem

    if not Path(path).is_file():  # as the engine sees it, without creating the file
        yield _schema(schema_problem(None, head))
        return
    with light.opened(path) as conn:
        problem = schema_problem(light.stored_revision(conn), head)
        yield _schema(problem)
        if problem is None:
            yield from _tables(settings, now, worker, lambda t: light.latest_bucket(conn, t))
            yield from check_jobs(light.last_runs(conn, settings.host), worker, now)


def _engine_checks(settings: Settings, now: float, worker: WorkerInfo | None) -> Iterator[Check]:
    from console.core.store import queries
    from console.core.store.engine import check_schema, make_engine
    from console.core.store.ledger import last_runs

    engine = make_engine(settings.resolved_database_url)
    try:
        try:
            check_schema(engine)
        except SchemaOutOfDate as exc:
            yield _schema(str(exc))
            return
        yield _schema(None)
        yield from _tables(settings, now, worker, lambda t: queries.latest_bucket(engine, t))
        yield from check_jobs(last_runs(engine, settings.host), worker, now)
    finally:
        engine.dispose()


def _schema(problem: str | None) -> Check:
    if problem is None:
        return Check("database", "schema", OK, "current")
    return Check("database", "schema", FAIL, clean(problem), "stackwatch db upgrade")


def _tables(
    settings: Settings,
    now: float,
    worker: WorkerInfo | None,
    latest: Callable[[str], tuple[int, float | None]],
) -> Iterator[Check]:
    collect, store = intervals(settings, worker)
    limits = {TABLES[0]: 2 * collect, TABLES[1]: 2 * collect, TABLES[2]: 2 * store}
    for table, limit in limits.items():
        count, newest = latest(table)
        age = None if newest is None else now - newest
        fresh = age is not None and age <= limit + 60  # buckets start up to a minute early
        yield Check(
            "database",
            table,
            OK if fresh else WARN,
            f"{count} rows, newest {age_text(age)}",
            "" if fresh else "no recent rows: check the worker's log",
        )


def _database_fix(reason: str) -> str:
    if "not a database" in reason or "malformed" in reason:
        return "the SQLite file is damaged: move it aside, then `stackwatch db upgrade`"
    return "start the database or fix STACKWATCH_DATABASE_URL"
