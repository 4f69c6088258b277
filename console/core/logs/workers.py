"""A small pool of scan worker processes, one per core, kept warm between scans.

Plain child processes (`python -m console.core.logs.workers`) that read pickled SegmentJobs
on stdin and write pickled SegmentResults on stdout, in order. Not multiprocessing: its fork
is unsafe beside the console's threads, and its forkserver/spawn re-run the main module. A
worker stuck in a `re` pattern (no time limit) is killed when the scan is cancelled; the
next scan starts a fresh one.
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
from collections.abc import Callable

from console.core.logs.segment import SegmentJob, SegmentResult, scan_segment

_HEADER = struct.Struct("!Q")
AHEAD = 2  # jobs queued at each worker, so it never waits for the next one
IN_FLIGHT = 6  # jobs sent past the one awaited: bounds the results held for reordering


def cores() -> int:
    """Cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class Cancelled(Exception):
    """The caller cancelled while waiting for a worker."""


class Worker:
    """One child process; jobs go in and results come out in the same order."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "console.core.logs.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
        self.pending = 0

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, job: SegmentJob) -> None:
        assert self.proc.stdin is not None
        data = pickle.dumps(job)
        self.proc.stdin.write(_HEADER.pack(len(data)) + data)
        self.proc.stdin.flush()
        self.pending += 1

    def receive(self, cancelled: Callable[[], bool]) -> SegmentResult:
        """The next result; raises Cancelled when the caller gives up first."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        size = _HEADER.unpack(_read_exactly(fd, _HEADER.size, cancelled))[0]
        result = pickle.loads(_read_exactly(fd, size, cancelled))
        self.pending -= 1
        return result

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


def ready(workers: list[Worker], cancelled: Callable[[], bool]) -> list[Worker]:
    """The workers with a result to read (waits for one; raises Cancelled if asked first)."""
    by_fd = {w.proc.stdout.fileno(): w for w in workers if w.proc.stdout is not None}
    while True:
        found, _, _ = select.select(list(by_fd), [], [], 0.05)
        if found:
            return [by_fd[fd] for fd in found]
        if cancelled():
            raise Cancelled


def _read_exactly(fd: int, size: int, cancelled: Callable[[], bool]) -> bytes:
    parts: list[bytes] = []
    left = size
    while left:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            if cancelled():
                raise Cancelled
            continue
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise OSError("a scan worker ended unexpectedly")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


class Pool:
    """The workers, used by one scan at a time (a second scan waits for the first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.Lock()
        self._workers: list[Worker] = []

    def workers(self) -> list[Worker]:
        """Live workers, started when missing (call with the lock held)."""
        self._workers = [w for w in self._workers if w.alive()]
        while len(self._workers) < self.size:
            self._workers.append(Worker())
        return self._workers

    def settle(self, kill: bool) -> None:
        """After a scan stopped early: drain results nobody will read, or kill the workers."""
        for worker in self._workers:
            if not worker.pending:
                continue
            if kill:
                worker.kill()
                continue
            try:
                while worker.pending:
                    worker.receive(lambda: False)
            except OSError:
                worker.kill()

    def close(self) -> None:
        for worker in self._workers:
            if worker.alive():
                worker.kill()
        self._workers = []


_pool: Pool | None = None
_pool_guard = threading.Lock()


def shared_pool() -> Pool:
    """The console's pool (one per process)."""
    global _pool
    with _pool_guard:
        if _pool is None:
            _pool = Pool(cores())
            atexit.register(_pool.close)
        return _pool


def _serve() -> None:
    """Worker side: answer jobs until stdin closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = stdin.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        job = pickle.loads(stdin.read(_HEADER.unpack(header)[0]))
        try:
            result = scan_segment(job)
        except Exception as exc:  # one segment's failure is reported, not a dead worker
            result = SegmentResult(job.lo, job.hi, 0, error=f"scan failed: {exc}")
        data = pickle.dumps(result)
        stdout.write(_HEADER.pack(len(data)) + data)
        stdout.flush()


if __name__ == "__main__":
    _serve()
