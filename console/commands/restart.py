"""`stackwatch restart TARGET [--yes] [--rolling] [--host H] [--all-hosts]`: TARGET is name,
group:* or all, optionally written `host/TARGET`. Audited.

A name found on several hosts' supervisords is refused (with the list) unless the host is
named or `--all-hosts` is given: one typo must not restart a fleet.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from console.commands.host_option import add_host_argument
from console.commands.restart_report import report
from console.core.errors import StackwatchError
from console.core.formatting import counted
from console.core.host_targets import split_host
from console.core.settings import LoadedSettings, Settings

HELP = "restart a program, a group (group:*) or all"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", help="[host/]program name, group:name, group:* or all")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    parser.add_argument(
        "--rolling", action="store_true", help="one at a time, stop at the first failure"
    )
    add_host_argument(parser)
    parser.add_argument(
        "--all-hosts",
        action="store_true",
        help="restart on every host where TARGET matches (else several hosts is refused)",
    )


def _confirm(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _target(args: argparse.Namespace, settings: Settings) -> tuple[str | None, str]:
    """(host or None for every host, target without its host part)."""
    named, target = split_host(args.target, settings)
    asked = getattr(args, "view_host", None)
    if named and asked and named != asked:
        raise StackwatchError(f"{args.target} names host {named}, but --host says {asked}")
    return named or asked, target


def _plan(settings: Settings, host: str | None, target: str) -> list[tuple[str, Any, list[str]]]:
    """(host, Actions, matched names) per supervisord where `target` matches."""
    from console.core.supervisor.actions import Actions
    from console.core.supervisor.client import SupervisorClient
    from console.core.supervisor.errors import SupervisorFault, SupervisorUnavailable
    from console.core.supervisor.targets import resolve

    endpoints = settings.endpoints_of(host) if host else settings.supervisors
    if not endpoints:
        where = f" for host {host}" if host else ""
        raise StackwatchError(f"no supervisord configured{where}")
    plan = []
    for endpoint in endpoints:
        client = SupervisorClient(endpoint, settings.rpc_timeout, read_only=settings.read_only)
        try:
            found = resolve(target, client.processes())
        except SupervisorFault:
            continue  # not on this endpoint
        except SupervisorUnavailable as exc:
            raise StackwatchError(str(exc)) from None
        plan.append((settings.endpoint_host(endpoint), Actions(client), found))
    if not plan:
        raise StackwatchError(f"no such program or group: {target}")
    return plan


def _refuse_several_hosts(plan: list, target: str) -> None:
    hosts = sorted({h for h, _, _ in plan})
    if len(hosts) > 1:
        names = ", ".join(f"{h}/{n}" for h, _, found in plan for n in found)
        raise StackwatchError(
            f"{target} matches programs on {len(hosts)} hosts: {names}; "
            "name one (host/program or --host) or add --all-hosts"
        )


def _asked(args: argparse.Namespace, names: list[str]) -> int | None:
    """None to go on, else the exit code (not a terminal, or the user said no)."""
    if args.yes:
        return None
    if not sys.stdin.isatty():
        print("stackwatch: not a terminal: add --yes to restart without asking", file=sys.stderr)
        return 2
    how = "Rolling restart" if args.rolling else "Restart"
    if not _confirm(f"{how} {counted(len(names), 'process', 'processes')}: {', '.join(names)}?"):
        print("cancelled", file=sys.stderr)
        return 1
    return None


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:

    settings = loaded.settings
    if settings.read_only:
        print("stackwatch: read-only: restart refused (use --write to allow)", file=sys.stderr)
        return 2
    host, target = _target(args, settings)
    from console.commands.restart_remote import is_remote, run_remote

    if host is not None and is_remote(settings, host):  # through that host's worker
        return run_remote(args, settings, host, target, _asked)
    plan = _plan(settings, host, target)
    if not args.all_hosts:
        _refuse_several_hosts(plan, target)
    several = len({h for h, _, _ in plan}) > 1
    names = [
        f"{h}/{a.client.name}/{n}" if several else f"{a.client.name}/{n}"
        for h, a, found in plan
        for n in found
    ]
    refused = _asked(args, names)
    if refused is not None:
        return refused
    results = [a.rolling_restart(target) if args.rolling else a.restart(target) for _, a, _ in plan]
    return report(settings, results)
