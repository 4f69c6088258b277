"""`stackwatch` with no command: open the console (plain status when there is no terminal)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC

from console.core.settings import LoadedSettings

HELP = "open the console (the default)"
NO_TERMINAL_NOTE = "(no terminal: plain status; use `stackwatch status` for processes)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def has_terminal() -> bool:
    return sys.stdout.isatty() and sys.stdin.isatty() and os.environ.get("TERM") != "dumb"


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    if not has_terminal():
        from console.commands.plain_status import plain_status

        lines, code = plain_status(loaded.settings, time.time(), UTC)
        print("\n".join([*lines, NO_TERMINAL_NOTE]), flush=True)
        return code
    from console.tui.app import make_app

    return make_app(loaded.settings).run() or 0
