"""Queue depth readers, one per queue system, each reading the keys that system writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import redis

from console.core.errors import SourceUnavailable
from console.core.metrics import QueueDepth
from console.core.sanitize import first_line
from console.core.settings import QueueSpec


class KeyProblem(Exception):
    """A key is missing or holds the wrong type: reported on that queue only."""


def _type(client: redis.Redis, key: str) -> str:
    kind = client.type(key)
    return kind.decode() if isinstance(kind, bytes) else str(kind)


def _count(client: redis.Redis, key: str, want: str, required: bool) -> int | None:
    """Length of a list/zset/hash key; 0 (optional) or KeyProblem (required) when absent."""
    kind = _type(client, key)
    if kind == "none":
        if required:
            raise KeyProblem(f"key {key} does not exist")
        return 0
    if kind != want:
        raise KeyProblem(f"key {key} is a {kind}, expected a {want}")
    length = {"list": client.llen, "zset": client.zcard, "hash": client.hlen}[want]
    return int(length(key))


def read_list(client: redis.Redis, spec: QueueSpec) -> QueueDepth:
    """A plain Redis list used as a queue: its length is the pending count."""
    pending = _count(client, spec.backend_key, "list", required=True)
    return QueueDepth(name=spec.name, kind=spec.kind, pending=pending)


def read_laravel(client: redis.Redis, spec: QueueSpec) -> QueueDepth:
    """Laravel: queues:NAME list, :delayed and :reserved zsets; failed jobs live in the app DB."""
    base = f"queues:{spec.backend_key}"
    return QueueDepth(
        name=spec.name,
        kind=spec.kind,
        pending=_count(client, base, "list", required=False),
        scheduled=_count(client, f"{base}:delayed", "zset", required=False),
        reserved=_count(client, f"{base}:reserved", "zset", required=False),
        failed=None,
    )


def read_celery(client: redis.Redis, spec: QueueSpec) -> QueueDepth:
    """Celery on Redis: a list named after the queue; unacked messages in the `unacked` hash."""
    pending = _count(client, spec.backend_key, "list", required=False)
    reserved = _count(client, "unacked", "hash", required=False)
    return QueueDepth(name=spec.name, kind=spec.kind, pending=pending, reserved=reserved)


def read_rq(client: redis.Redis, spec: QueueSpec) -> QueueDepth:
    """RQ: rq:queue:NAME list; wip, scheduled and failed registries are zsets."""
    name = spec.backend_key
    return QueueDepth(
        name=spec.name,
        kind=spec.kind,
        pending=_count(client, f"rq:queue:{name}", "list", required=False),
        reserved=_count(client, f"rq:wip:{name}", "zset", required=False),
        scheduled=_count(client, f"rq:scheduled:{name}", "zset", required=False),
        failed=_count(client, f"rq:failed:{name}", "zset", required=False),
    )


def read_huey(client: redis.Redis, spec: QueueSpec) -> QueueDepth:
    """A huey queue on Redis, counted through huey's own API (its key names stay its own)."""
    from huey import RedisHuey

    app = RedisHuey(spec.backend_key, connection_pool=client.connection_pool)
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


READERS: dict[str, Callable[[redis.Redis, QueueSpec], QueueDepth]] = {
    "redis-list": read_list,
    "laravel": read_laravel,
    "celery": read_celery,
    "rq": read_rq,
    "huey": read_huey,
}


def read_queue(client: redis.Redis, spec: QueueSpec) -> QueueDepth:
    """One queue's depth; key problems land in `error`, an unreachable Redis raises."""
    reader = READERS.get(spec.kind)
    if reader is None:
        return QueueDepth(name=spec.name, kind=spec.kind, error=f"unknown kind {spec.kind}")
    try:
        return reader(client, spec)
    except KeyProblem as exc:
        return QueueDepth(name=spec.name, kind=spec.kind, error=first_line(str(exc)))
    except redis.ResponseError as exc:
        return QueueDepth(name=spec.name, kind=spec.kind, error=first_line(str(exc)))
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise SourceUnavailable(f"Redis: {first_line(str(exc)) or type(exc).__name__}") from None


def read_queues(client: redis.Redis, specs: Sequence[QueueSpec]) -> tuple[QueueDepth, ...]:
    """Every watched queue, in settings order."""
    return tuple(read_queue(client, spec) for spec in specs)
