"""Queue depth readers, one per queue system, each reading the keys that system writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

import redis

from console.core.errors import SourceUnavailable
from console.core.metrics import QueueDepth
from console.core.queues.huey_source import HueyKeyProblem, close_huey, is_sqlite, open_huey
from console.core.sanitize import first_line
from console.core.settings import QueueSpec


class KeyProblem(Exception):
    """A key is missing or holds the wrong type: reported on that queue only."""


def _type(client: redis.Redis, key: str) -> str:
    kind = client.type(key)
    return kind.decode() if isinstance(kind, bytes) else str(kind)


# A key a depth field is read from: (field, key, Redis type, must the key exist).
Layout = list[tuple[str, str, str, bool]]
_LENGTH = {"list": "LLEN", "zset": "ZCARD", "hash": "HLEN"}


def layout_list(spec: QueueSpec) -> Layout:
    """A plain Redis list used as a queue: its length is the pending count."""
    return [("pending", spec.backend_key, "list", True)]


def layout_laravel(spec: QueueSpec) -> Layout:
    """Laravel: queues:NAME list, :delayed and :reserved zsets; failed jobs live in the app DB."""
    base = f"queues:{spec.backend_key}"
    return [
        ("pending", base, "list", False),
        ("scheduled", f"{base}:delayed", "zset", False),
        ("reserved", f"{base}:reserved", "zset", False),
    ]


def layout_celery(spec: QueueSpec) -> Layout:
    """Celery on Redis: a list named after the queue; unacked messages in the `unacked` hash."""
    return [("pending", spec.backend_key, "list", False), ("reserved", "unacked", "hash", False)]


def layout_rq(spec: QueueSpec) -> Layout:
    """RQ: rq:queue:NAME list; wip, scheduled and failed registries are zsets."""
    name = spec.backend_key
    return [
        ("pending", f"rq:queue:{name}", "list", False),
        ("reserved", f"rq:wip:{name}", "zset", False),
        ("scheduled", f"rq:scheduled:{name}", "zset", False),
        ("failed", f"rq:failed:{name}", "zset", False),
    ]


LAYOUTS: dict[str, Callable[[QueueSpec], Layout]] = {
    "redis-list": layout_list,
    "laravel": layout_laravel,
    "celery": layout_celery,
    "rq": layout_rq,
}


def _read_layouts(client: redis.Redis, specs: Sequence[QueueSpec]) -> list[QueueDepth]:
    """Every key of every spec in one round trip: TYPE and the length, checked afterwards."""
    layouts = [LAYOUTS[spec.kind](spec) for spec in specs]
    pipe = client.pipeline(transaction=False)
    for layout in layouts:
        for _field, key, want, _required in layout:
            pipe.type(key)
            pipe.execute_command(_LENGTH[want], key)
    replies = iter(pipe.execute(raise_on_error=False))
    depths = []
    for spec, layout in zip(specs, layouts, strict=True):
        answers = [(next(replies), next(replies)) for _ in layout]
        try:
            fields = {
                field: _length(key, want, required, kind, length)
                for (field, key, want, required), (kind, length) in zip(
                    layout, answers, strict=True
                )
            }
        except (KeyProblem, redis.ResponseError) as exc:
            depths.append(QueueDepth(name=spec.name, kind=spec.kind, error=first_line(str(exc))))
        else:
            depths.append(QueueDepth(name=spec.name, kind=spec.kind, **fields))
    return depths


def _length(key: str, want: str, required: bool, kind: object, length: object) -> int:
    """A key's length from its TYPE and length replies; 0 or KeyProblem when it is absent."""
    for reply in (kind, length):
        if isinstance(reply, redis.ConnectionError | redis.TimeoutError):
            raise reply
    if isinstance(kind, Exception):
        raise kind
    kind = kind.decode() if isinstance(kind, bytes) else str(kind)
    if kind == "none":
        if required:
            raise KeyProblem(f"key {key} does not exist")
        return 0
    if kind != want:
        raise KeyProblem(f"key {key} is a {kind}, expected a {want}")
    if isinstance(length, Exception):
        raise length  # the key changed type between the two commands
    return int(length)


def read_huey(client: redis.Redis, spec: QueueSpec) -> QueueDepth:
    """A huey queue on Redis, counted through huey's own API (its key names stay its own)."""
    if is_sqlite(spec):
        return read_sqlite_huey(spec)
    app = open_huey(spec, client)
    storage = app.storage
    _check_type(client, storage.queue_key, "list")
    _check_type(client, storage.schedule_key, "zset")
    _check_type(client, storage.result_key, "hash")
    return QueueDepth(
        name=spec.name,
        kind=spec.kind,
        pending=app.pending_count(),
        scheduled=app.scheduled_count(),
        failed=None,
        reserved=None,
    )


def _check_type(client: redis.Redis, key: str, want: str) -> None:
    kind = _type(client, key)
    if kind not in ("none", want):
        raise KeyProblem(f"key {key} is a {kind}, expected a {want}")


READERS: dict[str, Callable[[redis.Redis, QueueSpec], QueueDepth]] = {"huey": read_huey}


def read_sqlite_huey(spec: QueueSpec) -> QueueDepth:
    """A huey queue kept by SqliteHuey in a file (the embedded default): no Redis needed."""
    app = open_huey(spec)
    try:
        return QueueDepth(
            name=spec.name,
            kind=spec.kind,
            pending=app.pending_count(),
            scheduled=app.scheduled_count(),
        )
    finally:
        close_huey(app)


def read_queue(client: redis.Redis | None, spec: QueueSpec) -> QueueDepth:
    """One queue's depth; key problems land in `error`, an unreachable Redis raises.

    `client` may be None (no Redis configured): SQLite-backed huey queues are still read."""
    return read_queues(client, [spec])[0]


def read_queues(client: redis.Redis | None, specs: Sequence[QueueSpec]) -> tuple[QueueDepth, ...]:
    """Every watched queue, in settings order; the key-based ones in one Redis round trip."""
    keyed = [s.kind in LAYOUTS and client is not None for s in specs]
    batch = [s for s, k in zip(specs, keyed, strict=True) if k]
    read = iter(_guarded(lambda: _read_layouts(client, batch)) if batch else ())
    return tuple(
        next(read) if k else _read_one(client, s) for s, k in zip(specs, keyed, strict=True)
    )


def _guarded(read: Callable[[], list[QueueDepth]]) -> list[QueueDepth]:
    try:
        return read()
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise SourceUnavailable(f"Redis: {first_line(str(exc)) or type(exc).__name__}") from None


def _read_one(client: redis.Redis | None, spec: QueueSpec) -> QueueDepth:
    """A queue read on its own: huey (through its API), or one that cannot be read."""
    reader = READERS.get(spec.kind)
    if reader is None and spec.kind not in LAYOUTS:
        return QueueDepth(name=spec.name, kind=spec.kind, error=f"unknown kind {spec.kind}")
    if client is None and not is_sqlite(spec):
        return QueueDepth(name=spec.name, kind=spec.kind, error="no redis_url configured")
    try:
        return _guarded(lambda: [reader(client, spec)])[0]  # type: ignore[arg-type,misc]
    except (KeyProblem, HueyKeyProblem, sqlite3.Error, redis.ResponseError) as exc:
        return QueueDepth(name=spec.name, kind=spec.kind, error=first_line(str(exc)))
