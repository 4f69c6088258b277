"""`--host` for the commands that look at one host (doctor, queues, status, logs, restart)."""

from __future__ import annotations

import argparse

from console.core.sanitize import clean
from console.core.settings import Settings


def add_host_argument(parser: argparse.ArgumentParser) -> None:
    # Its own dest: a subcommand's default would otherwise overwrite the global --host.
    parser.add_argument(
        "--host",
        dest="view_host",
        metavar="HOST",
        help="the host to look at (default: this one, from the settings)",
    )


def chosen_host(args: argparse.Namespace, settings: Settings) -> str:
    """The host named with --host, else the settings' own (control characters removed)."""
    return clean(getattr(args, "view_host", None) or settings.host, 255)
