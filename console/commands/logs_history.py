"""What `stackwatch logs` prints before following: the last lines, or what --grep/--since ask.

A local file is searched whole with the scan engine (from --since's offset, found by
bisection); a log read through supervisord offers only its last part, and we say so.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator

from console.core.logs.follow import FileFollower
from console.core.logs.grep import count_matches, kept_lines, last_kept
from console.core.logs.lines import LogLine
from console.core.logs.merge import Clock, merge
from console.core.logs.search import Query
from console.core.logs.sources import LogReader, LogSource
from console.core.logs.timestamps import offset_since
from console.core.logs.window import read_after
from console.core.sanitize import clean

DEFAULT_LINES = 10
RPC_WINDOW = 5000  # lines asked of supervisord's tail when searching through it


def history(
    sources: list[LogSource],
    readers: list[LogReader],
    query: Query | None,
    since: float | None,
    args: argparse.Namespace,
) -> Iterable[LogLine] | None:
    """The lines to print first (lazy, merged by time when several); None after --count."""
    if args.count and query is not None:
        counts = [_count(s, r, query, since) for s, r in zip(sources, readers, strict=True)]
        if len(counts) == 1:
            print(counts[0])
        else:
            width = max(len(s.short) for s in sources)
            for source, count in zip(sources, counts, strict=True):
                print(f"{clean(source.short, 200).ljust(width)} {count}")
            print(f"{'total'.ljust(width)} {sum(counts)}")
        return None
    n = args.lines if args.lines is not None else (None if query or since else DEFAULT_LINES)
    groups = [_lines(s, r, query, since, n) for s, r in zip(sources, readers, strict=True)]
    if len(groups) == 1:
        return groups[0]
    merged: Iterable[LogLine] = merge(groups)
    return deque(merged, maxlen=n) if n is not None else merged


def _local(reader: LogReader) -> FileFollower | None:
    return reader if isinstance(reader, FileFollower) else None


def _range(follower: FileFollower, since: float | None) -> tuple[int, int, int]:
    """(fd, from, to) of the file: from --since's line (or 0) to the last whole line."""
    end = follower.start(1).end or 0  # also where following will go on from
    fd = os.open(follower.path, os.O_RDONLY)
    return fd, (offset_since(fd, since, end) if since is not None else 0), end


def _count(source: LogSource, reader: LogReader, query: Query, since: float | None) -> int:
    follower = _local(reader)
    if follower is None and since is None and hasattr(reader, "filtered"):
        return sum(1 for _ in _through_worker(reader, query, None))
    if follower is None:
        return sum(1 for _ in _through_rpc(source, reader, query, since, None))
    fd, lo, end = _range(follower, since)
    os.close(fd)
    return count_matches(follower.path, query, lo, end)


def _lines(
    source: LogSource, reader: LogReader, query: Query | None, since: float | None, n: int | None
) -> Iterator[LogLine]:
    follower = _local(reader)
    if follower is None or (query is None and since is None):
        if follower is None and query is not None and since is None and hasattr(reader, "filtered"):
            yield from _through_worker(reader, query, n)  # another host: its worker scans
        elif follower is None and (query is not None or since is not None):
            yield from _through_rpc(source, reader, query, since, n)
        else:
            yield from reader.start(n if n is not None else DEFAULT_LINES).lines
        return
    fd, lo, end = _range(follower, since)
    try:
        if query is None:
            lines: Iterable[LogLine] = _every_line(fd, lo, end)
        elif n is not None:
            older = [lines for lines, _ in last_kept(fd, follower.path, query, end, n, lo=lo)]
            lines = [line for lines in reversed(older) for line in lines]
        else:
            lines = kept_lines(fd, follower.path, query, lo, end)
        yield from (deque(lines, maxlen=n) if n is not None and query is None else lines)
    finally:
        os.close(fd)


def _every_line(fd: int, lo: int, end: int) -> Iterator[LogLine]:
    pos = lo
    while pos < end:
        batch = read_after(fd, pos, 1000)
        yield from (line for line in batch.lines if (line.offset or 0) < end)
        if not batch.lines or batch.end is None or batch.end <= pos:
            return
        pos = batch.end


def _through_worker(reader: LogReader, query: Query, n: int | None) -> Iterator[LogLine]:
    """The whole file searched by the host's worker, in pieces; oldest first."""
    pages = [lines for lines, _ in reader.filtered(query, n or 10**9)]  # type: ignore[attr-defined]
    yield from (line for lines in reversed(pages) for line in lines)


def _through_rpc(
    source: LogSource, reader: LogReader, query: Query | None, since: float | None, n: int | None
) -> Iterator[LogLine]:
    print(
        f"stackwatch: {clean(source.label, 100)}: read through supervisord, only its last"
        f" {RPC_WINDOW} lines are searched",
        file=sys.stderr,
    )
    pattern = query.for_text() if query is not None else None
    clock = Clock()
    kept = (
        line
        for line in reader.start(RPC_WINDOW).lines
        if (since is None or clock.stamp(line) >= since)
        and (pattern is None or query is None or query.keeps(pattern, line.text))
    )
    yield from deque(kept, maxlen=n) if n is not None else kept
