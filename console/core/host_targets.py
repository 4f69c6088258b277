"""Targets written `host/program`: which part names a host.

`main/web` already means endpoint `main`, program `web`; a first part is a host only when it
names a host the settings know (this console's own, or one an endpoint is configured for) or
one whose worker reports to the settings' Redis (the fleet), and no endpoint is called so.
"""

from __future__ import annotations

from console.core.settings import Settings


def known_hosts(settings: Settings) -> list[str]:
    """This console's host first, then every host a supervisord is configured for."""
    hosts = [settings.host]
    for endpoint in settings.supervisors:
        host = settings.endpoint_host(endpoint)
        if host not in hosts:
            hosts.append(host)
    return hosts


def split_host(target: str, settings: Settings) -> tuple[str | None, str]:
    """(host, rest) for `host/rest`; (None, target) when the first part is not a host."""
    head, sep, rest = target.partition("/")
    endpoints = {e.name for e in settings.supervisors}
    if not sep or not rest or head in endpoints:
        return None, target
    if head in known_hosts(settings) or head in reporting_hosts(settings):
        return head, rest
    return None, target


def reporting_hosts(settings: Settings) -> list[str]:
    """The hosts whose workers beat in the settings' Redis; none without Redis or when it
    cannot be read (the target is then read as it always was)."""
    if not settings.redis_url:
        return []
    import redis

    from console.core import keys
    from console.core.cache.base import host_names
    from console.core.redis_client import redis_client

    client = redis_client(settings.redis_url, settings.rpc_timeout)
    try:
        return host_names(client.hkeys(keys.HEARTBEAT))
    except redis.RedisError:
        return []
    finally:
        client.close()
