"""`stackwatch restart --host H TARGET` for a host with no supervisord URL configured here:
the names come from its worker's published list, the restart is a request its worker runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from console.commands.restart_report import report
from console.core.errors import StackwatchError
from console.core.settings import Settings


def is_remote(settings: Settings, host: str | None) -> bool:
    return bool(host) and not settings.endpoints_of(host or "") and bool(settings.redis_url)


def run_remote(
    args: argparse.Namespace,
    settings: Settings,
    host: str,
    target: str,
    asked: Callable[[argparse.Namespace, list[str]], int | None],
) -> int:
    """Plan from the published list, ask, send, print, audit; the exit code."""
    from console.core.feeds.processes_remote import RemoteActions, read_published
    from console.core.fleet.logs import fleet_client
    from console.core.parse import Invalid
    from console.core.supervisor.errors import SupervisorFault
    from console.core.supervisor.targets import resolve

    fleet = fleet_client(settings)
    published = read_published(fleet.redis, host)
    if published is None or isinstance(published, Invalid):
        why = "published no process list" if published is None else published.reason
        raise StackwatchError(f"no supervisord configured for {host} and its worker {why}")
    plan: dict[str, list[str]] = {}
    for endpoint in published.snapshot.endpoints:
        mine = [p for p in published.snapshot.processes if p.endpoint == endpoint.name]
        try:
            plan[endpoint.name] = resolve(target, mine)
        except SupervisorFault:
            continue
    if not plan:
        raise StackwatchError(f"no such program or group on {host}: {target}")
    refused = asked(args, [f"{host}/{e}/{n}" for e, names in plan.items() for n in names])
    if refused is not None:
        return refused
    action = "rolling_restart" if args.rolling else "restart"
    results = RemoteActions(fleet).act(host, action, list(plan), target)
    return report(settings, results)
