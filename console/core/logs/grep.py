"""Whole-file filter work on top of the scan engine: count, the last n kept, every kept line.

The screen, the CLI and the benchmark all call these (and so `scan.scan`): one code path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from console.core.logs.lines import MAX_LINE_BYTES, Batch, LogLine
from console.core.logs.scan import Piece, Progress, scan
from console.core.logs.search import Query


def count_matches(
    path: str, query: Query, lo: int = 0, hi: int | None = None, parallel: bool = True
) -> int:
    """Lines of [lo, hi) the query keeps (`grep -c -E`; a traceback is one match)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        total = 0
        for piece in scan(fd, path, query.spec(), lo, hi, keep="count", parallel=parallel):
            if piece.progress.error:
                raise OSError(piece.progress.error)
            total = piece.progress.matches
        return total
    finally:
        os.close(fd)


def kept_lines(
    fd: int, path: str, query: Query, lo: int = 0, hi: int | None = None, parallel: bool = True
) -> Iterator[LogLine]:
    """Every line the query keeps in [lo, hi), in file order (the CLI's --grep)."""
    for piece in scan(fd, path, query.spec(), lo, hi, keep="all", parallel=parallel):
        if piece.progress.error:
            raise OSError(piece.progress.error)
        yield from piece.lines


def last_kept(
    fd: int,
    path: str,
    query: Query,
    end: int,
    n: int,
    cancelled: Callable[[], bool] = lambda: False,
    cap: int = MAX_LINE_BYTES,
    lo: int = 0,
) -> Iterator[tuple[tuple[LogLine, ...], Progress]]:
    """Scanning back from `end`: each segment's kept lines (older segments later), with
    progress, until n lines are found, the file's start is reached, or the caller cancels."""
    found = 0
    pieces: Iterator[Piece] = scan(
        fd,
        path,
        query.spec(),
        lo,
        end,
        backward=True,
        keep="last",
        n=n,
        cancelled=cancelled,
        cap=cap,
    )
    for piece in pieces:
        lines = piece.lines[-(n - found) :] if found < n else ()
        found += len(lines)
        done = found >= n or piece.lo <= lo
        progress = piece.progress
        if done:
            progress = Progress(
                progress.scanned, progress.total, progress.matches, progress.elapsed, True
            )
        yield lines, progress
        if done or progress.error:
            return


def filter_before(
    fd: int,
    path: str,
    query: Query,
    end: int,
    n: int,
    cancelled: Callable[[], bool] = lambda: False,
) -> Batch:
    """The last n lines before `end` that the filter keeps (all at once)."""
    older: list[tuple[LogLine, ...]] = []
    for lines, _progress in last_kept(fd, path, query, end, n, cancelled):
        older.append(lines)
    found = tuple(line for lines in reversed(older) for line in lines)
    return Batch(found, reset=True, start=found[0].offset if found else end, end=end)
