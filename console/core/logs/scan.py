"""Scan a log file for a filter across the cores, in order, with progress and cancel.

The one path behind the screen's filter, the CLI's `--grep`/`--count` and the benchmark.
The range is cut into segments (small near where the reader looks first, so the first
matches come at once; large further on); worker processes scan them (the GIL would serialise
threads) and results are handed back in order. The first segment is scanned in the caller
while the pool warms up. Workers open the file through /proc/PID/fd of the caller's open
descriptor, so a file renamed (rotated) during the scan is still the one scanned.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from console.core.logs.lines import MAX_LINE_BYTES, LogLine, render
from console.core.logs.matcher import PatternSpec, matcher_for
from console.core.logs.segment import Found, SegmentJob, SegmentResult, scan_segment
from console.core.logs.workers import AHEAD, IN_FLIGHT, Cancelled, Pool, Worker, ready, shared_pool

FIRST_SEGMENT = 1024 * 1024
MAX_SEGMENT = 32 * 1024 * 1024
ALL_SEGMENT = 4 * 1024 * 1024  # when every kept line comes back: bounds what is in flight
IN_PROCESS_BELOW = 8 * 1024 * 1024  # smaller ranges: not worth a process


@dataclass(frozen=True)
class Progress:
    """Where a scan is: bytes looked at, lines kept so far, and the pace."""

    scanned: int
    total: int
    matches: int
    elapsed: float
    done: bool = False
    error: str | None = None

    @property
    def rate(self) -> float:
        """Bytes per second so far."""
        return self.scanned / self.elapsed if self.elapsed > 0 else 0.0

    def describe(self) -> str:
        """`scanned 312 MB of 1.0 GB (30 %) · 1,234 matches · 850 MB/s`"""
        share = f" ({100 * self.scanned // self.total} %)" if self.total else ""
        return (
            f"scanned {_size(self.scanned)} of {_size(self.total)}{share} · "
            f"{self.matches:,} match{'es' if self.matches != 1 else ''} · {_size(self.rate)}/s"
        )


def _size(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"


@dataclass(frozen=True)
class Piece:
    """One segment's result as a caller uses it: its lines rendered, and the running totals."""

    lo: int
    hi: int
    lines: tuple[LogLine, ...]
    progress: Progress


def segments(lo: int, hi: int, backward: bool, largest: int | None = None) -> list[tuple[int, int]]:
    """[lo, hi) cut into pieces that grow from the end the scan starts at."""
    largest = largest or MAX_SEGMENT
    out = []
    size = FIRST_SEGMENT
    if backward:
        while hi > lo:
            out.append((max(lo, hi - size), hi))
            hi -= size
            size = min(size * 2, largest)
    else:
        while lo < hi:
            out.append((lo, min(hi, lo + size)))
            lo += size
            size = min(size * 2, largest)
    return out


# --- the scan -------------------------------------------------------------------------


def _render(found: Found, cap: int) -> LogLine:
    offset, head, length = found
    return LogLine(render(head, max(0, length - len(head)), cap), offset=offset)


def _proc_path(fd: int, path: str) -> str:
    own = f"/proc/{os.getpid()}/fd/{fd}"
    return own if os.path.exists(own) else path


def scan(
    fd: int,
    path: str,
    spec: PatternSpec,
    lo: int = 0,
    hi: int | None = None,
    *,
    backward: bool = False,
    keep: str = "count",
    n: int = 0,
    cancelled: Callable[[], bool] = lambda: False,
    cap: int = MAX_LINE_BYTES,
    parallel: bool = True,
) -> Iterator[Piece]:
    """Segments of [lo, hi) of the open file, scanned in order (newest first when backward).

    Each piece carries the lines it keeps (per `keep`: in-segment "first"/"last" n, or "all")
    and the running Progress. Stops early when `cancelled()` says so; a caller may also just
    stop iterating (pending segments are dropped).
    """
    matcher_for(spec)  # a bad pattern fails here, in the caller
    held = os.fstat(fd)
    hi = held.st_size if hi is None else hi
    ident = (held.st_dev, held.st_ino)
    source = _proc_path(fd, path)
    jobs = [
        SegmentJob(source, ident, spec, a, b, hi, keep, n, cap)
        for a, b in segments(lo, hi, backward, ALL_SEGMENT if keep == "all" else None)
    ]
    started = time.monotonic()
    total = max(0, hi - lo)
    scanned = matches = 0
    use_pool = parallel and total >= IN_PROCESS_BELOW
    for result in _results(jobs, use_pool, cancelled):
        scanned += result.hi - result.lo
        matches += result.count
        progress = Progress(scanned, total, matches, time.monotonic() - started, error=result.error)
        lines = tuple(_render(found, cap) for found in result.lines)
        yield Piece(result.lo, result.hi, lines, progress)
        if result.error or cancelled():
            return


def _results(
    jobs: list[SegmentJob], use_pool: bool, cancelled: Callable[[], bool]
) -> Iterator[SegmentResult]:
    if not use_pool or not jobs:
        for job in jobs:
            if cancelled():
                return
            yield scan_segment(job)
        return
    yield scan_segment(jobs[0])  # at once, in the caller, even while the workers are busy
    pool = shared_pool()
    while not pool.lock.acquire(timeout=0.05):  # another scan has the workers: wait, or stop
        if cancelled():
            return
    try:
        yield from _pooled(pool, jobs[1:], cancelled)
    finally:
        pool.lock.release()


def _pooled(
    pool: Pool, jobs: list[SegmentJob], cancelled: Callable[[], bool]
) -> Iterator[SegmentResult]:
    """Each worker keeps AHEAD jobs; the next job goes to whichever worker answers first (on a
    busy machine one worker may get little CPU: the other takes its share). Results are
    handed back in job order, at most IN_FLIGHT jobs past the one awaited."""
    workers = pool.workers()
    sent: dict[Worker, deque[int]] = {w: deque() for w in workers}
    done: dict[int, SegmentResult] = {}
    nxt = want = 0
    finished = False

    def feed(worker: Worker) -> None:
        nonlocal nxt
        while len(sent[worker]) < AHEAD and nxt < len(jobs) and nxt - want < IN_FLIGHT:
            worker.send(jobs[nxt])
            sent[worker].append(nxt)
            nxt += 1

    try:
        for _ in range(AHEAD):  # round robin at first: the first results come from both
            for worker in workers:
                if len(sent[worker]) < AHEAD and nxt < len(jobs):
                    worker.send(jobs[nxt])
                    sent[worker].append(nxt)
                    nxt += 1
        while want < len(jobs):
            if want in done:
                yield done.pop(want)
                want += 1
                for worker in workers:
                    feed(worker)
                continue
            try:
                for worker in ready([w for w in workers if sent[w]], cancelled):
                    done[sent[worker].popleft()] = worker.receive(cancelled)
                    feed(worker)
            except OSError:  # a worker died (killed, out of memory): finish here instead
                pool.close()
                finished = True
                for i in range(want, len(jobs)):
                    if cancelled():
                        return
                    yield done[i] if i in done else scan_segment(jobs[i])
                return
        finished = True
    except Cancelled:
        return
    finally:
        if not finished and jobs:
            pool.settle(kill=matcher_for(jobs[0].spec).engine == "re")
