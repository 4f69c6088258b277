"""`stackwatch logs PROGRAM`: print (and follow) a program's log, or a log file's."""

from __future__ import annotations

import argparse
import os
import sys
import time

from console.core.errors import StackwatchError
from console.core.logs.lines import Batch
from console.core.logs.rpc_tail import RPC_ERRORS, describe_rpc_error
from console.core.logs.sources import (
    LogReader,
    LogSource,
    open_reader,
    program_source,
    same_program,
)
from console.core.logs.supervisor_rpc import list_programs
from console.core.sanitize import clean
from console.core.settings import LoadedSettings, Settings

HELP = "print or follow a program's log"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "program", metavar="PROGRAM", help="name, group:name, endpoint/name or a file"
    )
    parser.add_argument("--stderr", action="store_true", help="the program's stderr")
    parser.add_argument("-f", "--follow", action="store_true", help="keep printing new lines")
    parser.add_argument("-n", "--lines", type=int, default=10, metavar="N", help="lines to show")


def find_source(target: str, stream: str, settings: Settings) -> LogSource:
    """The source PROGRAM names; raises StackwatchError with one line when it cannot."""
    if os.path.exists(target):
        return LogSource("file", target, path=target)
    endpoint_name, _, name = target.rpartition("/")
    endpoints = [e for e in settings.supervisors if not endpoint_name or e.name == endpoint_name]
    if endpoint_name and not endpoints:
        raise StackwatchError(f"no supervisord named {clean(endpoint_name, 100)!r} in the settings")
    if not endpoints:
        raise StackwatchError(f"{clean(target, 200)}: no such file, and no supervisord configured")
    problems = []
    for endpoint in endpoints:
        try:
            programs = list_programs(endpoint, settings.rpc_timeout)
        except RPC_ERRORS as exc:
            problems.append(f"supervisord {endpoint.name} unreachable: {describe_rpc_error(exc)}")
            continue
        for program in programs:
            if same_program(program.name, name) or program.name.split(":")[-1] == name:
                return program_source(program, stream)
    raise StackwatchError(problems[0] if problems else f"unknown program {clean(name, 200)!r}")


def _print(batch: Batch, partial: bool) -> None:
    out = sys.stdout
    for line in batch.lines:
        out.write(line.text + "\n")
    if partial and batch.partial is not None:
        out.write(batch.partial + "\n")
    out.flush()


def _follow(reader: LogReader, interval: float) -> None:
    while True:
        time.sleep(interval)
        _print(reader.poll(), partial=False)


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    if args.lines < 0:
        print("stackwatch: -n must be 0 or more", file=sys.stderr)
        return 2
    settings = loaded.settings
    source = find_source(args.program, "stderr" if args.stderr else "stdout", settings)
    if source.note:
        print(f"stackwatch: {source.note}", file=sys.stderr)
    try:
        reader = open_reader(source, settings)
    except LookupError as exc:
        raise StackwatchError(str(exc)) from None
    _print(reader.start(args.lines), partial=not args.follow)
    if args.follow:
        _follow(reader, min(settings.refresh_logs, 1.0))
    return 0
