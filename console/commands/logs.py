"""`stackwatch logs SOURCE...`: print, search, count or follow logs; several merged by time.

A SOURCE is named as the console's log picker names it (`web`, `group:web`, `main/web`,
`supervisord`, a configured file's name, `web:stderr`), or is a path.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from console.commands.host_option import add_host_argument, chosen_host
from console.core.errors import StackwatchError
from console.core.host_targets import split_host
from console.core.logs.lines import Batch, LogLine
from console.core.logs.search import Query, QueryError
from console.core.logs.sources import LogReader, LogSource, find_source, load_sources, open_reader
from console.core.logs.timestamps import parse_since
from console.core.sanitize import clean
from console.core.settings import LoadedSettings, Settings

HELP = "print, search or follow logs (several at once, merged by time)"
COLOURS = [36, 33, 35, 32, 34, 31]  # ANSI colours for source tags


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        metavar="SOURCE",
        nargs="*",
        help="program (name, group:name, endpoint/name), supervisord, a log's name, or a file;"
        " none: list them",
    )
    parser.add_argument("--stderr", action="store_true", help="the programs' stderr")
    parser.add_argument("-f", "--follow", action="store_true", help="keep printing new lines")
    parser.add_argument("-n", "--lines", type=int, metavar="N", help="lines to show (10)")
    parser.add_argument("--grep", metavar="PATTERN", help="only lines matching (grep -E syntax)")
    parser.add_argument("-i", "--ignore-case", action="store_true", help="with --grep")
    parser.add_argument("-v", "--invert", action="store_true", help="lines NOT matching --grep")
    parser.add_argument("--count", action="store_true", help="print how many lines match")
    parser.add_argument("--since", metavar="TIME", help="from TIME on: 10m, 2h, 1d, 09:30, a date")
    add_host_argument(parser)


def resolve(targets: list[str], stream: str, settings: Settings) -> list[LogSource]:
    """The sources named (raises StackwatchError with one line when one cannot be found)."""
    sources: list[LogSource] | None = None
    problems: list[str] = []
    out = []
    for target in targets:
        if os.path.exists(target):
            out.append(LogSource("file", target, path=target))
            continue
        if sources is None:
            sources, problems = load_sources(settings)
        found = find_source(target, sources)
        if found is None:
            raise StackwatchError(_unknown(target, sources, problems, settings))
        out.append(found.with_stream(stream) if stream == "stderr" else found)
    return out


def _unknown(target: str, sources: list[LogSource], problems: list[str], settings: Settings) -> str:
    if not settings.supervisors and not settings.log_files:
        return f"{clean(target, 200)}: no such file, and no supervisord configured"
    if problems:
        return f"supervisord {problems[0]}"
    known = ", ".join(clean(s.label, 60) for s in sources[:12])
    return f"no log named {clean(target, 200)!r} (known: {known})"


class Printer:
    """Writes lines to stdout; with several sources, a tag (coloured on a terminal) first."""

    def __init__(self, sources: list[LogSource]) -> None:
        self.tags = [s.short for s in sources] if len(sources) > 1 else []
        self.width = max((len(t) for t in self.tags), default=0)
        self.colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ

    def lines(self, lines: tuple[LogLine, ...] | list[LogLine]) -> None:
        out = sys.stdout
        for line in lines:
            out.write(self._tag(line) + line.text + "\n")
        out.flush()

    def _tag(self, line: LogLine) -> str:
        if not self.tags or line.source is None:
            return ""
        tag = clean(self.tags[line.source], 60).ljust(self.width)
        if self.colour:
            return f"\x1b[{COLOURS[line.source % len(COLOURS)]}m{tag}\x1b[0m │ "
        return f"{tag} │ "


def _on_host(args: argparse.Namespace, settings: Settings) -> tuple[Settings, list[str]]:
    """The settings narrowed to the host asked (--host, or `host/` before every SOURCE)."""
    host = getattr(args, "view_host", None)
    split = [split_host(t, settings) for t in args.sources]
    named = {h for h, _ in split if h is not None}
    if len(named) > 1 or (named and host and named != {host}):
        raise StackwatchError("logs of one host at a time: name one host")
    host = named.pop() if named else host
    targets = [rest for _, rest in split]  # `rest` is the whole target where no host was named
    return settings.for_host(chosen_host(args, settings) if host is None else host), targets


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    if args.lines is not None and args.lines < 0:
        print("stackwatch: -n must be 0 or more", file=sys.stderr)
        return 2
    if (args.count or args.invert or args.ignore_case) and args.grep is None:
        print("stackwatch: --count, -v and -i go with --grep PATTERN", file=sys.stderr)
        return 2
    settings, targets = _on_host(args, loaded.settings)
    if not targets:
        return _list(settings)
    sources = resolve(targets, "stderr" if args.stderr else "stdout", settings)
    for source in sources:
        if source.note:
            print(f"stackwatch: {source.label}: {source.note}", file=sys.stderr)
    try:
        query = _query(args)
        since = parse_since(args.since) if args.since else None
    except (QueryError, ValueError) as exc:
        raise StackwatchError(str(exc)) from None
    from console.commands.logs_history import history

    readers = [_open(source, settings) for source in sources]
    try:
        shown = history(sources, readers, query, since, args)
        if shown is None:  # --count printed
            return 0
        Printer(sources).lines(shown)
    except OSError as exc:  # the file went away or became unreadable during the search
        raise StackwatchError(f"cannot read: {clean(exc.strerror or str(exc), 200)}") from None
    if args.follow:
        _follow(sources, readers, query, min(settings.refresh_logs, 1.0))
    return 0


def _query(args: argparse.Namespace) -> Query | None:
    if args.grep is None:
        return None
    query = Query(args.grep, regex=True, invert=args.invert, ignore_case=args.ignore_case)
    query.spec()
    return query


def _open(source: LogSource, settings: Settings) -> LogReader:
    try:
        return open_reader(source, settings)
    except LookupError as exc:
        raise StackwatchError(str(exc)) from None


def _list(settings: Settings) -> int:
    sources, problems = load_sources(settings)
    for source in sources:
        print(clean(source.label, 200))
    for problem in problems:
        print(f"stackwatch: {problem}", file=sys.stderr)
    return 2 if problems and not sources else 0


def _follow(sources: list[LogSource], readers: list[LogReader], query, interval: float) -> None:
    from console.core.logs.merge import Clock, merge

    printer = Printer(sources)
    pattern = query.for_text() if query is not None else None
    clocks = [Clock() for _ in readers]
    while True:
        time.sleep(interval)
        batches: list[Batch] = [reader.poll() for reader in readers]
        groups = [
            [x for x in b.lines if pattern is None or x.marker or query.keeps(pattern, x.text)]
            for b in batches
        ]
        printer.lines(list(merge(groups, clocks)) if len(groups) > 1 else groups[0])
