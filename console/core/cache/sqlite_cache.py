"""The cache on a SQLite file, for the embedded default (no Redis on the machine).

One connection per thread (sqlite3 objects must not cross threads); WAL so the console's reads
never block the worker's writes; BEGIN IMMEDIATE for read-modify-write so two processes never
lose an increment.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from console.core import keys
from console.core.cache.base import (
    MISSING,
    Latest,
    StreamEntry,
    dump,
    host_names,
    parse_item,
    parse_latest,
    stream_entries,
    stream_key,
)
from console.core.errors import SourceUnavailable
from console.core.private_files import private_file

SCHEMA = """
CREATE TABLE IF NOT EXISTS kv_hash (name TEXT, field TEXT, value BLOB, PRIMARY KEY (name, field));
CREATE TABLE IF NOT EXISTS kv_counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS kv_list (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, value BLOB);
CREATE INDEX IF NOT EXISTS kv_list_name ON kv_list (name, id);
CREATE TABLE IF NOT EXISTS kv_stream (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, value BLOB);
CREATE INDEX IF NOT EXISTS kv_stream_name ON kv_stream (name, id);
"""


class SqliteCache:
    def __init__(self, path: Path | str, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._local = threading.local()
        # Each thread's connection with the lock held while it runs a transaction: close() takes
        # it first, since closing a connection another thread is using can crash the process.
        self._connections: list[tuple[sqlite3.Connection, threading.Lock]] = []
        self._lock = threading.Lock()
        self._ready = False
        self._closed = False

    def _connect(self) -> tuple[sqlite3.Connection, threading.Lock]:
        pair = getattr(self._local, "pair", None)
        if pair is not None:
            return pair
        if self._closed:
            raise SourceUnavailable(f"cache file {self.path}: closed")
        try:
            private_file(self.path, own_dir=True)  # in the data dir; -wal/-shm follow
            conn = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA synchronous=NORMAL")
            with self._lock:  # threads of this process set the file up one at a time
                if not self._ready:
                    self._set_up(conn)
                    self._ready = True
                pair = (conn, threading.Lock())
                self._connections.append(pair)
        except (sqlite3.Error, OSError) as exc:
            raise SourceUnavailable(f"cache file {self.path}: {exc}") from None
        self._local.pair = pair
        return pair

    def _set_up(self, conn: sqlite3.Connection) -> None:
        """WAL and the tables. Switching to WAL can answer "locked" at once, without the busy
        handler, while another process does the same: retry until the timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(SCHEMA)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @contextmanager
    def _tx(self, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        conn, in_use = self._connect()
        with in_use:
            if self._closed:
                raise SourceUnavailable(f"cache file {self.path}: closed")
            with self._run(conn, immediate) as running:
                yield running

    @contextmanager
    def _run(self, conn: sqlite3.Connection, immediate: bool) -> Iterator[sqlite3.Connection]:
        try:
            conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise SourceUnavailable(f"cache file {self.path}: {exc}") from None

    def ping(self) -> None:
        with self._tx() as conn:
            conn.execute("SELECT 1")

    def _hset(self, name: str, field: str, value: str) -> None:
        with self._tx(immediate=True) as conn:
            conn.execute(
                "INSERT INTO kv_hash (name, field, value) VALUES (?, ?, ?) "
                "ON CONFLICT (name, field) DO UPDATE SET value = excluded.value",
                (name, field, value),
            )

    def _hget(self, name: str, field: str) -> Any:
        with self._tx() as conn:
            row = conn.execute(
                "SELECT value FROM kv_hash WHERE name = ? AND field = ?", (name, field)
            ).fetchone()
        return None if row is None else row[0]

    def put_latest(self, kind: str, host: str, payload: dict[str, Any]) -> None:
        self._hset(keys.latest(kind), host, dump(payload))

    def get_latest(self, kind: str, host: str) -> Latest:
        raw = self._hget(keys.latest(kind), host)
        return MISSING if raw is None else parse_latest(raw, f"{kind} entry")

    def latest_hosts(self, kind: str) -> list[str]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT field FROM kv_hash WHERE name = ? ORDER BY field", (keys.latest(kind),)
            ).fetchall()
        return host_names(r[0] for r in rows)

    def beat(self, host: str, info: dict[str, Any]) -> None:
        self._hset(keys.HEARTBEAT, host, dump({"ts": time.time(), **info}))

    def heartbeat(self, host: str) -> Latest:
        raw = self._hget(keys.HEARTBEAT, host)
        return MISSING if raw is None else parse_latest(raw, "heartbeat")

    def incr(self, name: str, amount: int = 1) -> int:
        with self._tx(immediate=True) as conn:
            row = conn.execute(
                "INSERT INTO kv_counter (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value RETURNING value",
                (name, amount),
            ).fetchall()
        return int(row[0][0])

    def take(self, name: str) -> int:
        with self._tx(immediate=True) as conn:
            found = conn.execute(
                "DELETE FROM kv_counter WHERE name = ? RETURNING value", (name,)
            ).fetchall()
        return int(found[0][0]) if found else 0

    def push(self, name: str, item: dict[str, Any], maxlen: int, clear: Sequence[str] = ()) -> None:
        with self._tx(immediate=True) as conn:
            conn.execute("INSERT INTO kv_list (name, value) VALUES (?, ?)", (name, dump(item)))
            _trim(conn, name, maxlen)
            _delete(conn, clear)

    def claim_count(self, name: str, staged: str) -> int:
        with self._tx(immediate=True) as conn:
            found = conn.execute(
                "DELETE FROM kv_counter WHERE name = ? RETURNING value", (name,)
            ).fetchall()
            if found:
                conn.execute(
                    "INSERT INTO kv_counter (name, value) VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
                    (staged, int(found[0][0])),
                )
            row = conn.execute("SELECT value FROM kv_counter WHERE name = ?", (staged,)).fetchone()
        return int(row[0]) if row else 0

    def claim_items(self, name: str, staged: str, maxlen: int = 0) -> list[dict[str, Any]]:
        with self._tx(immediate=True) as conn:
            # ids only grow, so the moved items land after the ones already staged
            conn.execute("UPDATE kv_list SET name = ? WHERE name = ?", (staged, name))
            if maxlen > 0:
                _trim(conn, staged, maxlen)
            rows = conn.execute(
                "SELECT value FROM kv_list WHERE name = ? ORDER BY id", (staged,)
            ).fetchall()
        return [item for (raw,) in rows if (item := parse_item(raw)) is not None]

    def clear(self, names: Sequence[str]) -> None:
        if names:
            with self._tx(immediate=True) as conn:
                _delete(conn, names)

    def drain(self, name: str) -> list[dict[str, Any]]:
        with self._tx(immediate=True) as conn:
            rows = conn.execute(
                "DELETE FROM kv_list WHERE name = ? RETURNING id, value", (name,)
            ).fetchall()
        rows.sort()
        return [item for _, raw in rows if (item := parse_item(raw)) is not None]

    def items(self, name: str, limit: int) -> list[dict[str, Any]]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT value FROM kv_list WHERE name = ? ORDER BY id DESC LIMIT ?", (name, limit)
            ).fetchall()
        return [item for (raw,) in rows if (item := parse_item(raw)) is not None]

    def map_set(self, name: str, field: str, item: dict[str, Any]) -> None:
        self._hset(name, field, dump(item))

    def map_del(self, name: str, field: str) -> None:
        with self._tx(immediate=True) as conn:
            conn.execute("DELETE FROM kv_hash WHERE name = ? AND field = ?", (name, field))

    def map_all(self, name: str) -> dict[str, dict[str, Any]]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT field, value FROM kv_hash WHERE name = ?", (name,)
            ).fetchall()
        return {f: item for f, raw in rows if (item := parse_item(raw)) is not None}

    # Streams: AUTOINCREMENT never reuses an id, so "<id>-0" grows like a Redis stream id.
    def stream_add(self, name: str, item: dict[str, Any], maxlen: int) -> str:
        with self._tx(immediate=True) as conn:
            cur = conn.execute(
                "INSERT INTO kv_stream (name, value) VALUES (?, ?)", (name, dump(item))
            )
            new_id = int(cur.lastrowid or 0)
            if new_id % 100 == 0:  # trim now and then, like MAXLEN ~
                conn.execute(
                    "DELETE FROM kv_stream WHERE name = ? AND id <= ?", (name, new_id - maxlen)
                )
        return f"{new_id}-0"

    def stream_after(self, name: str, after: str, count: int) -> list[StreamEntry]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT id, value FROM kv_stream WHERE name = ? AND id > ? ORDER BY id LIMIT ?",
                (name, max(0, stream_key(after)[0]), count),
            ).fetchall()
        return stream_entries([(f"{i}-0", raw) for i, raw in rows])

    def stream_tail(self, name: str, count: int) -> list[StreamEntry]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT id, value FROM kv_stream WHERE name = ? ORDER BY id DESC LIMIT ?",
                (name, count),
            ).fetchall()
        return stream_entries([(f"{i}-0", raw) for i, raw in reversed(rows)])

    def close(self) -> None:
        """Close every thread's connection, each once its transaction is over; later calls
        answer "closed" rather than reopen the file."""
        with self._lock:
            self._closed = True
            pairs, self._connections = self._connections, []
        for conn, in_use in pairs:
            with in_use:
                conn.close()


def _trim(conn: sqlite3.Connection, name: str, maxlen: int) -> None:
    """Keep the newest `maxlen` items of a list."""
    conn.execute(
        "DELETE FROM kv_list WHERE name = ? AND id <= ("
        "SELECT id FROM kv_list WHERE name = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
        (name, name, maxlen),
    )


def _delete(conn: sqlite3.Connection, names: Sequence[str]) -> None:
    for name in names:
        conn.execute("DELETE FROM kv_list WHERE name = ?", (name,))
        conn.execute("DELETE FROM kv_counter WHERE name = ?", (name,))
