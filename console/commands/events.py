"""`stackwatch events`: supervisord's process events.

`stackwatch events listen` is the event listener supervisord runs ([eventlistener:...] in
supervisor/conf.d/stackwatch-events.conf); `stackwatch events [--since S] [--program P]
[--json]` prints the recent events kept in the cache and the store.
"""

from __future__ import annotations

import argparse
import logging
import sys

from console.core.settings import LoadedSettings

HELP = "supervisord's process events: the listener (listen) or the recent ones"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        choices=("show", "listen"),
        default="show",
        help="listen: run as supervisord's event listener; show (default): print recent events",
    )
    parser.add_argument("--since", metavar="TIME", help="show: from TIME (-2h, -30m, 03:12, ISO)")
    parser.add_argument("--program", metavar="P", help="show: only this program (group:name)")
    parser.add_argument("--json", action="store_true", help="show: one JSON object per line")


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    if args.action == "listen":
        return _listen(loaded)
    from console.core.events.show import show

    return show(loaded.settings, args.since, args.program, args.json)


def _listen(loaded: LoadedSettings) -> int:
    from console.core.cache import open_cache
    from console.core.events.listener import run_listener

    protocol_in, protocol_out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # stdout is supervisord's protocol: nothing else may reach it
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
    )
    cache = open_cache(loaded.settings)
    try:
        return run_listener(loaded.settings, cache, protocol_in, protocol_out)
    finally:
        cache.close()
