"""The latest-value cache and counters: Redis in production, SQLite when embedded."""

from __future__ import annotations

from typing import Any

from console.core.cache.base import Cache, Latest, parse_latest
from console.core.settings import Settings


def open_cache(settings: Settings, client: Any = None) -> Cache:
    """The cache the settings point at. Connects lazily: opening touches no service.
    `client`: a Redis client to share (the cache then leaves closing it to its owner)."""
    if settings.redis_url:
        from console.core.cache.redis_cache import RedisCache

        return RedisCache(settings.redis_url, timeout=settings.rpc_timeout, client=client)
    from console.core.cache.sqlite_cache import SqliteCache

    return SqliteCache(settings.cache_path)


__all__ = ["Cache", "Latest", "open_cache", "parse_latest"]
