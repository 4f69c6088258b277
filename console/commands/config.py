"""`stackwatch config`: the effective settings and where each value came from."""

from __future__ import annotations

import argparse
import json

from console.core.settings import LoadedSettings
from console.core.settings_report import describe

HELP = "print the effective settings and where each came from"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    rows = describe(loaded)
    if args.json:
        print(
            json.dumps({name: {"value": value, "source": source} for name, value, source in rows})
        )
        return 0
    print(f"config file: {loaded.config_path or '(none found; defaults in use)'}")
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        print(f"{name:<{width}}  {value}  [{source}]")
    return 0
