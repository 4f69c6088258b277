"""`stackwatch restart TARGET [--yes] [--rolling]`: TARGET is name, group:* or all. Audited."""

from __future__ import annotations

import argparse
import sys

from console.core.settings import LoadedSettings

HELP = "restart a program, a group (group:*) or all"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", help="program name, group:name, group:* or all")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    parser.add_argument(
        "--rolling", action="store_true", help="one at a time, stop at the first failure"
    )


def _confirm(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from console.core.supervisor.actions import Actions
    from console.core.supervisor.audit import audit_results
    from console.core.supervisor.errors import SupervisorFault, SupervisorUnavailable
    from console.core.supervisor.poll import make_clients
    from console.core.supervisor.targets import resolve

    settings = loaded.settings
    if settings.read_only:
        print("stackwatch: read-only: restart refused (use --write to allow)", file=sys.stderr)
        return 2
    if not settings.supervisors:
        print("stackwatch: no supervisord configured", file=sys.stderr)
        return 2
    plan: list[tuple[Actions, list[str]]] = []
    for client in make_clients(settings):
        try:
            plan.append((Actions(client), resolve(args.target, client.processes())))
        except SupervisorFault:
            continue  # not on this endpoint
        except SupervisorUnavailable as exc:
            print(f"stackwatch: {exc}", file=sys.stderr)
            return 2
    if not plan:
        print(f"stackwatch: no such program or group: {args.target}", file=sys.stderr)
        return 2
    names = [f"{a.client.name}/{n}" for a, found in plan for n in found]
    if not args.yes:
        if not sys.stdin.isatty():
            print(
                "stackwatch: not a terminal: add --yes to restart without asking", file=sys.stderr
            )
            return 2
        how = "Rolling restart" if args.rolling else "Restart"
        if not _confirm(f"{how} {len(names)} process(es): {', '.join(names)}?"):
            print("cancelled", file=sys.stderr)
            return 1
    results = [
        a.rolling_restart(args.target) if args.rolling else a.restart(args.target) for a, _ in plan
    ]
    for result in results:
        print(f"{result.endpoint}: {result.summary()}")
        for outcome in result.outcomes:
            mark = "ok  " if outcome.ok else "FAIL"
            print(f"  {mark} {outcome.target:<30} {outcome.state:<9} {outcome.message}")
    warning = audit_results(settings, results)
    if warning:
        print(f"stackwatch: {warning}", file=sys.stderr)
    return 0 if all(r.ok for r in results) else 1
