"""The latest-value cache and counters: Redis in production, SQLite when embedded."""

from __future__ import annotations

from console.core.cache.base import Cache, Latest, parse_latest
from console.core.settings import Settings


def open_cache(settings: Settings) -> Cache:
    """The cache the settings point at. Connects lazily: opening touches no service."""
    if settings.redis_url:
        from console.core.cache.redis_cache import RedisCache

        return RedisCache(settings.redis_url, timeout=settings.rpc_timeout)
    from console.core.cache.sqlite_cache import SqliteCache

    return SqliteCache(settings.cache_path)


__all__ = ["Cache", "Latest", "open_cache", "parse_latest"]
