"""`stackwatch queues [--json]`: depth of every watched queue.

Exit 0 all fine, 1 a queue is past its critical threshold, 2 the queue source is unreachable:
usable as a cron or container health check.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict

from console.commands.host_option import add_host_argument, chosen_host
from console.core.formatting import span
from console.core.settings import LoadedSettings

HELP = "queue depths; exit 1 past a critical threshold"
COLUMNS = ("queue", "kind", "pending", "scheduled", "reserved", "failed", "oldest", "state")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_host_argument(parser)


def _num(value: int | None) -> str:
    return "-" if value is None else str(value)


def _table(lines: list) -> str:
    rows = [COLUMNS]
    for line in lines:
        state = f"error: {line.error}" if line.error else line.level
        rows.append(
            (
                line.name,
                line.kind,
                _num(line.pending),
                _num(line.scheduled),
                _num(line.reserved),
                _num(line.failed),
                span(line.oldest_age_s, precise=False),
                state,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])) + "  " + row[-1]
        for row in rows
    )


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from console.core.feeds import build_feeds

    feeds = build_feeds(loaded.settings)
    host = chosen_host(args, loaded.settings)
    try:
        now = time.time()
        counts = feeds.queues.failure_counts(host, now)  # the numbers the Queues screen shows
        lines, error, _ = feeds.queues.queue_lines(host, now, history=False, failures=counts)
    finally:
        feeds.close()
    critical = [line.name for line in lines if line.level == "critical"]
    if args.json:
        data = {"queues": [asdict(line) for line in lines], "error": error, "critical": critical}
        for item in data["queues"]:
            item.pop("history", None)
        print(json.dumps(data, indent=2))
    elif lines:
        print(_table(lines))
    else:
        print("no queues configured or found")
    if error:
        print(f"stackwatch: {error}", file=sys.stderr)
        return 2
    if critical:
        print(f"stackwatch: past the critical threshold: {', '.join(critical)}", file=sys.stderr)
        return 1
    return 0
