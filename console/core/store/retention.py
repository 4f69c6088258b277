"""The maintenance queries: roll raw rows up into hourly rows, prune rows past retention.

Both walk the time index in consecutive windows, oldest first, each window its own short
transaction: a window reads only the index entries inside it, so the cost per row stays the
same however many hosts share the table. (Picking "the next N old rows" with LIMIT instead made
every batch re-walk what the previous ones had left: the rollups kept on SQLite, every dead
row on PostgreSQL, where the planner also hashed the whole table to match the ids.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Float,
    Integer,
    and_,
    delete,
    func,
    literal,
    select,
    text,
    true,
)

from console.core.recent import COUNT_COLUMNS
from console.core.store.engine import reading, store_errors
from console.core.store.models import RAW_ROWS_SQL, QueueRow, SystemHealthRow
from console.core.store.queries import KEY_COLUMNS, METRIC_MODELS, TABLES, TIME_COLUMN, aggregate
from console.core.store.writes import HOUR, bucket_of

ROLLUP_TARGET_ROWS = 50_000  # raw rows read per rollup window (whole hours: a few more)
WALK_CACHE_KB = 32_768  # SQLite's page cache during a walk (pages are allocated as touched)


def rollup(engine: Engine, before: float, after: float = 0) -> int:
    """Aggregate raw rows in [after, before) into hourly rows (idempotent); returns rows written."""
    end, start = bucket_of(before, HOUR), bucket_of(after, HOUR)
    return sum(_rollup_table(engine, model, start, end) for model in METRIC_MODELS)


def prune(
    engine: Engine,
    table_name: str,
    before: float,
    batch: int = 5000,
    rollups: bool | None = None,
) -> int:
    """Delete rows older than `before`, about `batch` rows per transaction; returns the count.

    `rollups`: None deletes both kinds of rows, False raw rows only, True hourly rollups only.
    Never touches a row at or after the cutoff. Short transactions keep locks short (the
    console keeps reading) and, on PostgreSQL, limit bloat and replica lag.
    """
    model: Any = TABLES[table_name]
    time_col = getattr(
        model, TIME_COLUMN.get(table_name, "bucket" if hasattr(model, "bucket") else "ts")
    )
    cond = []
    if rollups is not None:
        cond.append(model.resolution_s == HOUR if rollups else _raw_rows())
    total = _prune_table(engine, model, time_col, cond, before, max(1, batch))
    if total and engine.dialect.name == "sqlite":
        _return_free_pages(engine)
    return total


def _rollup_table(engine: Engine, model: Any, start: int, end: int) -> int:
    """Aggregate raw rows in [start, end) into hourly rows, one window of hours at a time.

    Oldest first: if a window fails, every hour before it is rolled up and every hour after it
    still has its raw rows, which is what the series reads expect (hourly rows up to the newest
    one, raw rows after). Each window is an INSERT … SELECT, so rows never come through Python.
    """
    first = _first_time(engine, model.bucket, _raw_rows(), start, end)
    if first is None:
        return 0
    insert_rows = _rollup_statement(engine, model)

    def window(conn: Connection, lo: float, hi: float) -> int:
        # RETURNING counts the rows: psycopg gives no rowcount for INSERT … SELECT.
        return len(conn.execute(insert_rows(int(lo), int(hi))).all())

    edge = _Edge(model.bucket, _raw_rows(), ROLLUP_TARGET_ROWS, HOUR)
    return _walk(engine, bucket_of(first, HOUR), end, edge, window)


def _rollup_statement(engine: Engine, model: Any) -> Callable[..., Any]:
    # Here, not at import: only the worker's cleanup pays for both dialects.
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    group_cols = [model.host] + ([model.queue, model.kind] if model is QueueRow else [])
    if model is SystemHealthRow:
        group_cols.append(model.scope)
    hour = (model.bucket // HOUR) * HOUR
    values = {c.name: _aggregate(c) for c in model.__table__.c if c.name not in KEY_COLUMNS}
    names = [c.name for c in group_cols] + ["bucket", "resolution_s", *values]
    keys = ["host", "resolution_s", "bucket"] + (["queue"] if model is QueueRow else [])

    def statement(lo: int, hi: int) -> Any:
        query = (
            select(*group_cols, hour, literal(HOUR), *values.values())
            .where(_raw_rows(), model.bucket >= _bound(model.bucket, lo))
            .where(model.bucket < _bound(model.bucket, hi))
            .group_by(*group_cols, hour)
        )
        stmt = dialect.insert(model).from_select(names, query)
        return stmt.on_conflict_do_update(
            index_elements=keys, set_={name: stmt.excluded[name] for name in values}
        ).returning(model.id)

    return statement


def _aggregate(column: Any) -> Any:
    """The same rule as series reads; counts are whole numbers, never NULL."""
    if column.name in COUNT_COLUMNS:
        return func.coalesce(func.sum(column), 0)
    return aggregate(column, column.name)


def _prune_table(
    engine: Engine, model: Any, time_col: Any, cond: list[Any], before: float, batch: int
) -> int:
    """Delete rows with time_col < before (and `cond`), about `batch` rows per transaction."""
    first = _first_time(engine, time_col, and_(true(), *cond), None, before)
    if first is None:
        return 0

    def window(conn: Connection, lo: float, hi: float) -> int:
        stmt = delete(model).where(
            time_col >= _bound(time_col, lo), time_col < _bound(time_col, hi), *cond
        )
        return conn.execute(stmt).rowcount or 0

    return _walk(engine, first, before, _Edge(time_col, and_(true(), *cond), batch, 1), window)


def _bound(column: Any, value: float) -> Any:
    """A window's bound, written into the SQL text as the column's own type.

    In the text: psycopg prepares a statement it has run 5 times, and PostgreSQL's generic
    plan for a range of unknown bounds read every row left to the end (bitmap scan + sort) at
    each window. As an integer for an integer column (`>= x` and `< x` both mean `ceil(x)`
    there): against a float, PostgreSQL compares bigint as float8 and uses no index at all.
    """
    if isinstance(column.type, Integer):
        return literal(math.ceil(value), Integer(), literal_execute=True)
    return literal(float(value), Float(), literal_execute=True)


def _raw_rows() -> Any:
    """`resolution_s < 3600` as literal SQL, the words of the partial raw-row indexes."""
    return text(RAW_ROWS_SQL)


def _first_time(
    engine: Engine, time_col: Any, cond: Any, start: float | None, end: float
) -> float | None:
    """The oldest time in [start, end): one step down the time index, not a scan."""
    query = select(func.min(time_col)).where(time_col < _bound(time_col, end))
    if start is not None:
        query = query.where(time_col >= _bound(time_col, start))
    if cond is not None:
        query = query.where(cond)
    with reading(engine) as conn:
        value = conn.execute(query).scalar()
    return None if value is None else float(value)


@dataclass(frozen=True)
class _Edge:
    """Where a window ends: at the time of its `rows`-th row (matching `cond`), down to a
    whole `unit` (rollups: hours), at least one unit after its start."""

    time_col: Any
    cond: Any
    rows: int
    unit: int

    def after(self, conn: Connection, lo: float, end: float) -> float:
        # One step down the index `rows` entries long: the window's own rows, read once more.
        nth = (
            select(self.time_col)
            .where(self.time_col >= _bound(self.time_col, lo))
            .where(self.time_col < _bound(self.time_col, end), self.cond)
            .order_by(self.time_col)
            .offset(self.rows)
            .limit(1)
        )
        found = conn.execute(nth).scalar()
        if found is None:
            return end
        return min(end, max(float(found) // self.unit * self.unit, lo + self.unit))


def _walk(
    engine: Engine,
    lo: float,
    end: float,
    edge: _Edge,
    window: Callable[[Connection, float, float], int],
) -> int:
    """Run window(conn, lo, hi) over consecutive windows up to `end`, each of about
    `edge.rows` rows, each in its own transaction on one connection.

    Counting the rows, not guessing a width, keeps every window small however the density
    changes: a year of one host followed by 500 hosts, or a gap of months.
    """
    total = 0
    with _walk_connection(engine) as conn:
        while lo < end:
            with conn.begin():
                hi = edge.after(conn, lo, end)
                total += window(conn, lo, hi)
            lo = hi
    return total


@contextmanager
def _walk_connection(engine: Engine) -> Iterator[Connection]:
    """One connection for a whole walk; on SQLite with a page cache that holds every host's
    pages at the window's edge (the 2 MB default holds ~500 pages: past a few hundred hosts
    each row deleted missed the cache), given back when the walk ends."""
    with store_errors(engine), engine.connect() as conn:
        raw = conn.connection.driver_connection if engine.dialect.name == "sqlite" else None
        if raw is None:
            yield conn
            return
        # On the driver's connection: through SQLAlchemy a PRAGMA would open a transaction.
        previous = raw.execute("PRAGMA cache_size").fetchone()[0]
        raw.execute(f"PRAGMA cache_size=-{WALK_CACHE_KB}")
        try:
            yield conn
        finally:
            raw.execute(f"PRAGMA cache_size={int(previous)}")


def _return_free_pages(engine: Engine) -> None:
    """Give pruned pages back to the file system (auto_vacuum=INCREMENTAL, set at creation).

    Through a cursor the pragma frees a single page per call; executescript runs it to the end.
    With the walk's page cache: it moves pages from the end of the file into the freed ones.
    """
    with _walk_connection(engine) as conn:
        conn.connection.driver_connection.executescript("PRAGMA incremental_vacuum;")
