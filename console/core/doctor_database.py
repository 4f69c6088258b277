"""Doctor's database checks: schema current, metric tables fresh, periodic jobs on time."""

from __future__ import annotations

from collections.abc import Iterator

from console.core.doctor_jobs import check_jobs, intervals
from console.core.doctor_model import FAIL, OK, WARN, Check, age_text
from console.core.errors import SchemaOutOfDate, SourceUnavailable
from console.core.sanitize import clean
from console.core.settings import Settings
from console.core.worker_info import WorkerInfo


def check_database(settings: Settings, now: float, worker: WorkerInfo | None) -> Iterator[Check]:
    from console.core.store import queries
    from console.core.store.engine import check_schema, make_engine
    from console.core.store.ledger import last_runs

    collect, store = intervals(settings, worker)
    engine = make_engine(settings.resolved_database_url)
    try:
        try:
            check_schema(engine)
        except SchemaOutOfDate as exc:
            yield Check("database", "schema", FAIL, clean(str(exc)), "stackwatch db upgrade")
            return
        yield Check("database", "schema", OK, "current")
        for table, limit in (
            ("system_health_metrics", 2 * collect),
            ("queue_metrics", 2 * collect),
            ("performance_metrics", 2 * store),
        ):
            count, newest = queries.latest_bucket(engine, table)
            age = None if newest is None else now - newest
            fresh = age is not None and age <= limit + 60  # buckets start up to a minute early
            yield Check(
                "database",
                table,
                OK if fresh else WARN,
                f"{count} rows, newest {age_text(age)}",
                "" if fresh else "no recent rows: check the worker's log",
            )
        yield from check_jobs(last_runs(engine, settings.host), worker, now)
    except SourceUnavailable as exc:
        yield Check("database", "reachable", FAIL, clean(str(exc)), _database_fix(str(exc)))
    finally:
        engine.dispose()


def _database_fix(reason: str) -> str:
    if "not a database" in reason or "malformed" in reason:
        return "the SQLite file is damaged: move it aside, then `stackwatch db upgrade`"
    return "start the database or fix STACKWATCH_DATABASE_URL"
