"""`stackwatch hosts [--json]`: every host reporting to this Redis, worst first (the fleet
view). Exit 0 when all are fine, 1 when some are down, late or bad, 2 when it cannot tell
(no Redis, Redis unreachable, no host at all)."""

from __future__ import annotations

import argparse
import json
import sys
import time

from console.core.settings import LoadedSettings

HELP = "every host reporting to this Redis, worst first; exit 1 when one is down or bad"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from console.core.feeds.fleet import FleetView, read_fleet
    from console.core.fleet.cells import COLUMNS, row_cells, row_dict
    from console.core.redis_client import redis_client

    settings = loaded.settings
    now = time.time()
    if not settings.redis_url:
        view = FleetView(now, error="no Redis configured: hosts report to a shared Redis")
    else:
        client = redis_client(settings.redis_url, settings.rpc_timeout)
        try:
            view = read_fleet(client, now)
        finally:
            client.close()
    if not view.error and not view.rows:
        view = FleetView(now, error="no host reports to this Redis (is a worker running?)")
    code = view.exit_code()
    if args.json:
        rows = [row_dict(r, now) for r in view.rows]
        invalid = [vars(bad) for bad in view.invalid]
        print(
            json.dumps(
                {"ts": now, "exit": code, "error": view.error, "hosts": rows} | {"invalid": invalid}
            )
        )
        return code
    if view.error:
        print(f"stackwatch: {view.error}", file=sys.stderr)
        return code
    table = [COLUMNS] + [row_cells(r, now, settings.timezone) for r in view.rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    for line in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
    for bad in view.invalid:
        print(f"{bad.what}: {bad}")
    return code
