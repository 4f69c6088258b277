"""The cache on Redis: latest values as hashes (field per host), counters, capped lists, maps."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import redis

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
)
from console.core.errors import SourceUnavailable
from console.core.redis_client import redis_client
from console.core.sanitize import first_line
from console.core.settings import mask_url

T = TypeVar("T")

# claim_count / claim_items: one script each, so a move is atomic (a kill -9 of the caller
# leaves every value either where it was or in the staged key, never in neither).
_CLAIM_COUNT = """
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('DEL', KEYS[1])
if n and n ~= 0 then redis.call('INCRBY', KEYS[2], n) end
return tonumber(redis.call('GET', KEYS[2]) or '0') or 0
"""
_CLAIM_ITEMS = """
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[2]) end
else
  while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do end
end
local keep = tonumber(ARGV[1])
if keep > 0 then redis.call('LTRIM', KEYS[2], -keep, -1) end
return redis.call('LRANGE', KEYS[2], 0, -1)
"""


class RedisCache:
    """One client per cache; redis-py's pool is thread-safe, so TUI workers may share it."""

    def __init__(self, url: str, timeout: float = 3.0, client: redis.Redis | None = None) -> None:
        self.url = url
        # A client handed in is shared (the console's feeds): closing the cache leaves it open.
        self._owned = client is None
        self._client = client if client is not None else redis_client(url, timeout)
        self._claim_count = self._client.register_script(_CLAIM_COUNT)
        self._claim_items = self._client.register_script(_CLAIM_ITEMS)

    def __repr__(self) -> str:  # the URL may carry a password
        return f"<RedisCache {mask_url(self.url)}>"

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise SourceUnavailable(
                f"Redis at {mask_url(self.url)}: {first_line(str(exc)) or type(exc).__name__}"
            ) from None
        except redis.ResponseError as exc:
            if "WRONGTYPE" in str(exc) or "NOAUTH" in str(exc) or "LOADING" in str(exc):
                raise SourceUnavailable(f"Redis: {first_line(str(exc))}") from None
            raise

    def _call(self, fn: Callable[[], T]) -> T:
        with self._errors():
            return fn()

    def ping(self) -> None:
        self._call(self._client.ping)

    def put_latest(self, kind: str, host: str, payload: dict[str, Any]) -> None:
        self._call(lambda: self._client.hset(keys.latest(kind), host, dump(payload)))

    def get_latest(self, kind: str, host: str) -> Latest:
        return self._read_field(keys.latest(kind), host, f"{kind} entry")

    def _read_field(self, key: str, field: str, what: str) -> Latest:
        try:
            raw = self._call(lambda: self._client.hget(key, field))
        except SourceUnavailable as exc:
            if "WRONGTYPE" in str(exc):
                return Latest("invalid", error=f"{key} is not a hash")
            raise
        return parse_latest(raw, what) if raw is not None else MISSING

    def latest_hosts(self, kind: str) -> list[str]:
        try:
            fields = self._call(lambda: self._client.hkeys(keys.latest(kind)))
        except SourceUnavailable as exc:
            if "WRONGTYPE" in str(exc):
                return []
            raise
        return host_names(fields)

    def beat(self, host: str, info: dict[str, Any]) -> None:
        entry = {"ts": time.time(), **info}
        self._call(lambda: self._client.hset(keys.HEARTBEAT, host, dump(entry)))

    def heartbeat(self, host: str) -> Latest:
        return self._read_field(keys.HEARTBEAT, host, "heartbeat")

    def incr(self, name: str, amount: int = 1) -> int:
        return int(self._call(lambda: self._client.incrby(name, amount)))

    def take(self, name: str) -> int:
        # GETDEL is atomic: an INCR lands either before (counted now) or after (next time).
        raw = self._call(lambda: self._client.getdel(name))
        try:
            return int(raw) if raw is not None else 0
        except ValueError:
            return 0

    def push(self, name: str, item: dict[str, Any], maxlen: int, clear: Sequence[str] = ()) -> None:
        def run() -> None:
            pipe = self._client.pipeline(transaction=bool(clear))  # MULTI when it must be atomic
            pipe.rpush(name, dump(item))
            pipe.ltrim(name, -maxlen, -1)
            if clear:
                pipe.delete(*clear)
            pipe.execute()

        self._call(run)

    def claim_count(self, name: str, staged: str) -> int:
        return int(self._call(lambda: self._claim_count(keys=(name, staged))))

    def claim_items(self, name: str, staged: str, maxlen: int = 0) -> list[dict[str, Any]]:
        raws = self._call(lambda: self._claim_items(keys=(name, staged), args=(maxlen,)))
        return [item for raw in raws if (item := parse_item(raw)) is not None]

    def clear(self, names: Sequence[str]) -> None:
        if names:
            self._call(lambda: self._client.delete(*names))

    def drain(self, name: str) -> list[dict[str, Any]]:
        def run() -> list[bytes]:
            pipe = self._client.pipeline(transaction=True)
            pipe.lrange(name, 0, -1)
            pipe.delete(name)
            return pipe.execute()[0]

        return [item for raw in self._call(run) if (item := parse_item(raw)) is not None]

    def items(self, name: str, limit: int) -> list[dict[str, Any]]:
        raws = self._call(lambda: self._client.lrange(name, -limit, -1))
        return [item for raw in reversed(raws) if (item := parse_item(raw)) is not None]

    def map_set(self, name: str, field: str, item: dict[str, Any]) -> None:
        self._call(lambda: self._client.hset(name, field, dump(item)))

    def map_del(self, name: str, field: str) -> None:
        self._call(lambda: self._client.hdel(name, field))

    def map_all(self, name: str) -> dict[str, dict[str, Any]]:
        raw = self._call(lambda: self._client.hgetall(name))
        result = {}
        for field, value in raw.items():
            item = parse_item(value)
            if item is not None:
                result[field.decode("utf-8", errors="replace")] = item
        return result

    def stream_add(self, name: str, item: dict[str, Any], maxlen: int) -> str:
        # MAXLEN ~ trims whole nodes only: cheap, and keeps at least maxlen entries.
        entry_id = self._call(
            lambda: self._client.xadd(name, {"e": dump(item)}, maxlen=maxlen, approximate=True)
        )
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)

    def stream_after(self, name: str, after: str, count: int) -> list[StreamEntry]:
        rows = self._call(lambda: self._client.xrange(name, f"({after}", "+", count=count))
        return stream_entries([(i, fields.get(b"e")) for i, fields in rows])

    def stream_tail(self, name: str, count: int) -> list[StreamEntry]:
        rows = self._call(lambda: self._client.xrevrange(name, "+", "-", count=count))
        return stream_entries([(i, fields.get(b"e")) for i, fields in reversed(rows)])

    @property
    def client(self) -> redis.Redis:
        """The underlying client, for callers that pipeline (e.g. record_request)."""
        return self._client

    def close(self) -> None:
        if self._owned:
            self._client.close()
