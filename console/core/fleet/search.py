"""Searching another host's log: its worker scans the file (the one scan engine) back from
an offset, in bounded pieces, and the console pages through them.

A piece is at most SCAN_BUDGET bytes scanned and MAX_LINES lines returned, each line cut at
LINE_CAP; the next request goes on from where the last stopped. The worker runs only
patterns RE2 accepts (linear time), so a request cannot tie it up with a pathological regex.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from console.core.logs.lines import LogLine
from console.core.logs.matcher import PatternError, PatternSpec, matcher_for
from console.core.logs.scan import Progress, scan
from console.core.logs.search import Query
from console.core.sanitize import clean

SCAN_BUDGET = 16 * 1024 * 1024  # bytes one request scans at most
MAX_LINES = 200
LINE_CAP = 1000  # bytes of one line sent back (the rest is counted, as the pane does)


def run_search(client: Any, request: Any) -> dict[str, Any]:
    """The worker's side: scan `request.name`'s log (its path from the local supervisord,
    never from the request) back from `request.offset` (0: the end); raises LookupError
    with the reason when it cannot."""
    spec = PatternSpec(request.pattern, "i" in request.flags, "v" in request.flags)
    try:
        if matcher_for(spec).engine_note:
            raise LookupError("refused: only patterns RE2 accepts are searched on a worker")
    except PatternError as exc:
        raise LookupError(str(exc)) from None
    info = client.process(request.name)
    path = info.stderr_logfile if request.stream == "stderr" else info.stdout_logfile
    if not path or not os.path.isfile(path):
        raise LookupError(f"{request.name} has no {request.stream} log file on this host")
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        end = request.offset if 0 < request.offset <= size else size
        wanted = max(1, min(request.length or MAX_LINES, MAX_LINES))
        return _scan_back(fd, path, spec, end, wanted) | {"size": size}
    finally:
        os.close(fd)


def _scan_back(fd: int, path: str, spec: PatternSpec, end: int, wanted: int) -> dict[str, Any]:
    found: list[tuple[LogLine, ...]] = []
    count, reached, matches, scanned = 0, end, 0, 0
    pieces = scan(fd, path, spec, 0, end, backward=True, keep="last", n=wanted, parallel=False)
    for piece in pieces:
        if piece.progress.error:
            raise LookupError(piece.progress.error)
        lines = piece.lines[-(wanted - count) :] if count < wanted else ()
        found.append(lines)
        count += len(lines)
        reached, matches, scanned = piece.lo, piece.progress.matches, piece.progress.scanned
        if count >= wanted or end - reached >= SCAN_BUDGET:
            break
    kept = [line for lines in reversed(found) for line in lines]
    sent = [[line.offset or 0, line.text[:LINE_CAP]] for line in kept]
    return {"lines": sent, "offset": reached, "matches": matches, "scanned": scanned}


def parse_lines(value: Any) -> tuple[LogLine, ...]:
    """A search reply's lines, each made safe at this boundary; raises ValueError."""
    if not isinstance(value, list) or len(value) > MAX_LINES:
        raise ValueError("lines is not a bounded list")
    out = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)):
            raise ValueError("a line is not [offset, text]")
        offset = item[0] if isinstance(item[0], int) and not isinstance(item[0], bool) else 0
        out.append(LogLine(clean(item[1], LINE_CAP + 20), offset=max(0, offset)))
    return tuple(out)


def search_pages(
    send: Callable[..., Any], query: Query, n: int, cancelled: Callable[[], bool] = lambda: False
) -> Iterator[tuple[tuple[LogLine, ...], Progress]]:
    """The console's side, shaped like `FileFollower.filtered`: pages of the last `n` kept
    lines, newest first, each a request to the worker, until `n`, the file's start or cancel.
    `send(**fields)` sends one search request and returns its Reply."""
    spec = query.spec()
    flags = ("i" if spec.ignore_case else "") + ("v" if spec.invert else "")
    started, found, end, scanned, total = time.monotonic(), 0, 0, 0, 0
    while found < n and not cancelled():
        ask = min(MAX_LINES, n - found)
        reply = send(pattern=spec.source, flags=flags, offset=end, length=ask)
        if not reply.ok:  # an OSError, as a failed read of a local file is
            raise OSError(0, reply.error)
        lines = reply.lines[-(n - found) :]
        found += len(lines)
        total = total or reply.size
        scanned += reply.scanned
        done = reply.offset <= 0 or found >= n
        elapsed = time.monotonic() - started
        yield lines, Progress(scanned, total, found, elapsed, done)
        if done:
            return
        end = reply.offset
