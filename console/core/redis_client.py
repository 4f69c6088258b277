"""The one way stackwatch builds a Redis client: deadlines, one quick retry, a health check.

Every reader of Redis (the cache, the queue readers, huey's storage) takes its client or pool
from here, so an outage is reported within the same deadline everywhere.
"""

from __future__ import annotations

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

HEALTH_CHECK_S = 15  # a pooled connection idle longer than this is pinged before use


def _options(timeout: float, read_timeout: float | None) -> dict:
    return {
        "socket_timeout": read_timeout if read_timeout is not None else timeout,
        "socket_connect_timeout": timeout,
        "health_check_interval": HEALTH_CHECK_S,
        # One quick retry hides a connection the server closed while idle; no more, so an
        # outage is reported within the deadline instead of being retried for minutes.
        "retry": Retry(ExponentialBackoff(cap=0.2, base=0.05), retries=1),
    }


def redis_client(url: str, timeout: float = 3.0) -> redis.Redis:
    """A client on `url`; connects lazily (building it touches no service)."""
    return redis.Redis.from_url(url, **_options(timeout, None))


def redis_pool(
    url: str, timeout: float = 3.0, read_timeout: float | None = None
) -> redis.ConnectionPool:
    """A pool on `url` for libraries that take one (huey); `read_timeout` above a blocking
    read's own wait (huey blocks 1 s on its queue)."""
    return redis.ConnectionPool.from_url(url, **_options(timeout, read_timeout))
