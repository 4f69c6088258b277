"""Hosts that stopped reporting: a dead host cannot say so itself, so one worker of the fleet
(whoever holds a short lease in the shared Redis) reads every other host's heartbeat."""

from __future__ import annotations

from typing import Any

from console.core import keys
from console.core.cache.base import host_names, parse_latest
from jobs.context import JobContext

LEASE_INTERVALS = 3  # the lease outlives three evaluations: a live sender keeps it


def holds_lease(redis: Any, host: str, seconds: int) -> bool:
    """Take or renew the fleet sender's lease; True when this host holds it."""
    if redis.set(keys.ALERTS_FLEET_SENDER, host, nx=True, ex=seconds):
        return True
    holder = redis.get(keys.ALERTS_FLEET_SENDER)
    if holder is not None and holder.decode("utf-8", "replace") == host:
        redis.expire(keys.ALERTS_FLEET_SENDER, seconds)
        return True
    return False


def peer_heartbeats(redis: Any, host: str) -> dict[str, float | None]:
    """Every other host's last heartbeat (None: unreadable), parsed at this boundary."""
    raw = redis.hgetall(keys.HEARTBEAT)
    by_name = {
        (k.decode("utf-8", "replace") if isinstance(k, bytes) else k): v for k, v in raw.items()
    }
    found: dict[str, float | None] = {}
    for name in host_names(by_name):  # a field that is no host name is left out
        if name != host:
            beat = parse_latest(by_name[name], "heartbeat")
            found[name] = beat.ts if beat.ok else None
    return found


def peers(ctx: JobContext) -> dict[str, float | None] | None:
    """Other hosts' heartbeats when this worker is the fleet's sender, else None (no shared
    Redis, another worker is the sender, or Redis does not answer)."""
    import redis as redis_lib

    client = ctx.redis
    if client is None:
        return None
    lease = max(30, int(LEASE_INTERVALS * ctx.settings.alerts_interval))
    try:
        if not holds_lease(client, ctx.host, lease):
            return None
        return peer_heartbeats(client, ctx.host)
    except (redis_lib.ConnectionError, redis_lib.TimeoutError):
        return None
