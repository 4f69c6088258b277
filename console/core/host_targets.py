"""Targets written `host/program`: which part names a host.

`main/web` already means endpoint `main`, program `web`; a first part is a host only when it
names a host the settings know (this console's own, or one an endpoint is configured for) and
no endpoint is called so.
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
    if sep and rest and head in known_hosts(settings) and head not in endpoints:
        return head, rest
    return None, target
