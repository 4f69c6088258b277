"""`stackwatch status [--json]`: every program on every endpoint, like supervisorctl status.

Exit 0 when every expected program runs, 1 when some do not (or an answer does not fit: it is
listed as invalid), 2 when an endpoint cannot be reached. A last line says whether the cache
and the store answer (and names invalid cache entries); it does not change the exit code.
No Textual, no SQLAlchemy, no psutil: it must be as quick as supervisorctl.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from console.commands.host_option import add_host_argument, chosen_host
from console.core.settings import LoadedSettings, Settings

if TYPE_CHECKING:
    from console.core.supervisor.models import ProcessesSnapshot

HELP = "every supervised program, like supervisorctl status"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--at",
        metavar="TIME",
        help="the state at a past time, from the store (03:12, -2h, yesterday 14:00, ISO)",
    )
    add_host_argument(parser)


def published_snapshot(settings: Settings) -> ProcessesSnapshot:
    """The host's process list as its worker last published it (endpoints say when not)."""
    import time

    from console.core.feeds.processes_remote import remote_snapshot
    from console.core.redis_client import redis_client

    client = redis_client(settings.redis_url or "", settings.rpc_timeout)
    try:
        return remote_snapshot(client, settings.host, time.time())[0]
    finally:
        client.close()


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from console.commands.status_lines import expected_down, is_up, lines
    from console.core.source_check import check_sources
    from console.core.supervisor.errors import SupervisorFault, SupervisorUnavailable
    from console.core.supervisor.poll import Poller, make_clients

    settings = loaded.settings.for_host(chosen_host(args, loaded.settings))
    if args.at is not None:  # from the store alone: no supervisord is asked
        from console.commands.status_at import run_at

        return run_at(settings, args.at, args.json)
    if not settings.supervisors and not settings.redis_url:
        print(
            f"stackwatch: no supervisord configured for host {settings.host}"
            " (set [[supervisor]] or --supervisor-url)",
            file=sys.stderr,
        )
        return 2
    clients = make_clients(settings)
    if clients:
        snapshot = Poller(clients, settings.host, resources=False).poll()
    else:  # no supervisord URL for this host: its worker's published list, through Redis
        snapshot = published_snapshot(settings)
    down = [p for p in snapshot.processes if not is_up(p)]
    if down:  # only then is the config needed (autostart=false programs may be down)
        configs: dict = {}
        for client in clients:
            try:
                configs.update({(client.name, k): v for k, v in client.config_info().items()})
            except (SupervisorUnavailable, SupervisorFault):
                continue  # without config every stopped program counts as down
        down = [
            p
            for p in down
            if not expected_down(p, {p.full_name: configs.get((p.endpoint, p.full_name), {})})
        ]
    code = 2 if not snapshot.reachable else (1 if down or snapshot.invalid else 0)
    sources = check_sources(settings)  # told, but the exit code stays about the programs
    if args.json:
        print(
            json.dumps(
                {
                    "host": snapshot.host,
                    "ts": snapshot.ts,
                    "exit": code,
                    "endpoints": [vars(e) | {"ok": e.ok} for e in snapshot.endpoints],
                    "processes": [p.to_dict() for p in snapshot.processes],
                    "not_running": [f"{p.endpoint}/{p.full_name}" for p in down],
                    "invalid": [vars(bad) for bad in snapshot.invalid],
                    "sources": sources.to_dict(),
                }
            )
        )
    else:
        print("\n".join([*lines(snapshot), *sources.lines()]))
    return code
