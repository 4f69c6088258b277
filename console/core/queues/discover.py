"""Find queues in a Redis database by their key layout (bounded SCAN), saying how each was seen."""

from __future__ import annotations

import re
from dataclasses import dataclass

import redis

from console.core.errors import SourceUnavailable
from console.core.parse import Unfit, utf8
from console.core.sanitize import first_line

MAX_KEYS = 10_000  # scan no more than this many keys: discovery must stay cheap on big databases


@dataclass(frozen=True)
class FoundQueue:
    """A queue seen in Redis: name (raw: sanitize before showing), kind, and the telling key."""

    name: str
    kind: str
    key: str
    reason: str


# (pattern, kind, reason); the name is the first group.
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^huey\.redis\.(.+)$"), "huey", "huey queue list"),
    (re.compile(r"^huey\.schedule\.(.+)$"), "huey", "huey schedule zset"),
    (re.compile(r"^queues:([^:]+)$"), "laravel", "Laravel queue list"),
    (re.compile(r"^queues:([^:]+):(?:delayed|reserved)$"), "laravel", "Laravel delayed/reserved"),
    (re.compile(r"^rq:queue:(.+)$"), "rq", "RQ queue list"),
)
MAX_KEY_CHARS = 1024
_CELERY_MARKERS = ("_kombu.binding.", "unacked_index")


def _decode(raw: bytes | str) -> str | None:
    """A key name as text; a name that is not UTF-8 (or absurdly long) is no queue we could
    read back by name, so it is skipped."""
    try:
        key = utf8(raw, "key name")
    except Unfit:
        return None
    return key if len(key) <= MAX_KEY_CHARS else None


def discover(client: redis.Redis, max_keys: int = MAX_KEYS) -> list[FoundQueue]:
    """Queues recognised among the first `max_keys` keys of the database, sorted by name."""
    found: dict[tuple[str, str], FoundQueue] = {}
    celery_queues: set[str] = set()
    try:
        for count, raw in enumerate(client.scan_iter(count=500)):
            if count >= max_keys:
                break
            key = _decode(raw)
            if key is None:
                continue
            _match(key, found)
            if key.startswith("_kombu.binding."):
                celery_queues.add(key[len("_kombu.binding.") :])
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise SourceUnavailable(f"Redis: {first_line(str(exc))}") from None
    for name in celery_queues:
        found.setdefault(
            (name, "celery"),
            FoundQueue(name, "celery", f"_kombu.binding.{name}", "Celery binding"),
        )
    return sorted(found.values(), key=lambda q: (q.name, q.kind))


def _match(key: str, found: dict[tuple[str, str], FoundQueue]) -> None:
    for pattern, kind, reason in _PATTERNS:
        match = pattern.match(key)
        if match:
            name = match.group(1)
            found.setdefault((name, kind), FoundQueue(name, kind, key, reason))
            return
