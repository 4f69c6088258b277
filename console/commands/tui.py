"""`stackwatch` with no command: open the console (plain status when there is no terminal)."""

from __future__ import annotations

import argparse
import os
import sys

from console.core.settings import LoadedSettings

HELP = "open the console (the default)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def has_terminal() -> bool:
    return sys.stdout.isatty() and sys.stdin.isatty() and os.environ.get("TERM") != "dumb"


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from console.tui.app import make_app

    return make_app(loaded.settings).run() or 0
