"""`stackwatch doctor`: check every part of the stack and explain what is wrong."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from console.commands.host_option import add_host_argument, chosen_host
from console.core.formatting import counted
from console.core.settings import LoadedSettings

HELP = "check every part of the stack and explain what is wrong"
MARK = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    add_host_argument(parser)
    parser.epilog = (
        "Exit codes: 0 all checks pass (warnings allowed), 1 a check failed, 2 cannot run."
    )


def settings_failed(args: argparse.Namespace, error: Exception) -> int:
    """Bad settings are doctor's first FAIL (the same line every command prints); exit 2."""
    from console.core.doctor import Check

    fix = "correct that value; `stackwatch config` shows every setting and where it came from"
    detail = str(error).removeprefix("settings: ")
    _report(args, "(settings not loaded)", [Check("settings", "settings", "fail", detail, fix)])
    return 2


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from console.core.doctor import run_checks

    settings = loaded.settings.for_host(chosen_host(args, loaded.settings))
    return _report(args, settings.host, run_checks(settings))


def _report(args: argparse.Namespace, host: str, checks: list) -> int:
    failed = any(c.status == "fail" for c in checks)
    if args.json:
        print(
            json.dumps(
                {
                    "host": host,
                    "ok": not failed,
                    "checks": [asdict(c) for c in checks],
                }
            )
        )
        return 1 if failed else 0
    print(f"stackwatch doctor — host {host}")
    area = None
    for check in checks:
        if check.area != area:
            area = check.area
            print(f"\n{area}")
        print(f"  {MARK[check.status]}  {check.name}: {check.detail}")
        if check.fix and check.status != "ok":
            print(f"        fix: {check.fix}")
    fails = sum(c.status == "fail" for c in checks)
    warns = sum(c.status == "warn" for c in checks)
    print(f"\n{counted(len(checks), 'check')}: {fails} failed, {counted(warns, 'warning')}")
    return 1 if failed else 0
