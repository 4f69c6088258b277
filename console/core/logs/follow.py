"""Follow a log file by name, like GNU `tail -F`, by polling.

Each poll compares the name's (device, inode) with the open descriptor's, and the file's size
and first bytes with what was seen. That catches rotation by rename (supervisord's), `clear`
(unlink + recreate), copy-truncate (even when the file regrew past the old offset between two
polls) and a file that goes missing and comes back. After a rename the old descriptor is read
to its end before switching, so no line written before the change is lost.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable, Iterator

from console.core.logs.grep import last_kept
from console.core.logs.lines import MAX_LINE_BYTES, Batch, LineSplitter, LogLine, marker
from console.core.logs.scan import Progress
from console.core.logs.search import Query
from console.core.logs.window import read_after, read_before, read_last

FINGERPRINT = 64  # bytes at the head of the file compared on every poll
MAX_READ = 4 * 1024 * 1024  # per poll; further behind than this, skip ahead and say so


def _why(exc: OSError) -> str:
    return os.strerror(exc.errno) if exc.errno else str(exc)


class FileFollower:
    """Reads the last lines of a file, then what is appended, across rotations."""

    def __init__(self, path: str, cap: int = MAX_LINE_BYTES, max_read: int = MAX_READ) -> None:
        self.path = path
        self.cap = cap
        self.max_read = max_read
        self.generation = 0  # bumped whenever the followed file changes (offsets restart)
        self._fd: int | None = None
        self._head = b""
        self._splitter = LineSplitter(cap=cap)
        self._missing: str | None = None  # why the file cannot be read, once reported
        self._lock = threading.Lock()

    # --- public ------------------------------------------------------------------------

    def start(self, n: int) -> Batch:
        """Open the file and return its last n lines (or a "waiting for file" marker)."""
        with self._lock:
            self.close_locked()
            error = self._open()
            if error:
                return self._waiting(error)
            assert self._fd is not None
            batch = read_last(self._fd, n, self.cap)
            self._splitter.restart(batch.end or 0)
            return Batch(batch.lines, batch.partial, start=batch.start, end=batch.end, reset=True)

    def poll(self) -> Batch:
        """Whatever happened since the last call: new lines, and markers for changes."""
        with self._lock:
            if self._fd is None:
                error = self._open()
                if error:
                    return self._waiting(error)
                self._missing = None
                return self._batch([marker("file appeared: following it"), *self._read_new()])
            return self._batch(self._poll_open())

    def read_before(self, offset: int, n: int) -> Batch:
        """n lines of the current file ending at `offset` (paging back)."""
        with self._lock:
            if self._fd is None:
                return Batch()
            return read_before(self._fd, offset, n, self.cap)

    def read_after(self, offset: int, n: int) -> Batch:
        """n lines of the current file from `offset` on (paging forward, or from the top)."""
        with self._lock:
            if self._fd is None:
                return Batch()
            return read_after(self._fd, offset, n, self.cap)

    def read_at(self, at: float, n: int) -> Batch:
        """n lines from the first one written at or after `at` (the time cursor)."""
        return self.read_after(self.offset_at(at), n)

    def offset_at(self, at: float) -> int:
        """Where the first line written at or after `at` starts (bisection, not a scan)."""
        from console.core.logs.timejump import first_at

        with self._lock:
            if self._fd is None:
                return 0
            fd = os.dup(self._fd)  # the search reads without holding up the polls
        try:
            return first_at(fd, at)
        finally:
            os.close(fd)

    def filtered(
        self, query: Query, n: int, cancelled: Callable[[], bool], end: int | None = None
    ) -> Iterator[tuple[tuple[LogLine, ...], Progress]]:
        """The last n lines before `end` (default: what was read) that a filter keeps, newest
        segment first, with progress. Scans its own descriptor: polls go on meanwhile."""
        with self._lock:
            if self._fd is None:
                return
            fd = os.dup(self._fd)
            end = self._splitter.line_start if end is None else end
        try:
            yield from last_kept(fd, self.path, query, end, n, cancelled, self.cap)
        finally:
            os.close(fd)

    def close(self) -> None:
        with self._lock:
            self.close_locked()

    # --- internals (called with the lock held) ------------------------------------------

    def close_locked(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _batch(self, lines: list[LogLine]) -> Batch:
        return Batch(tuple(lines), self._splitter.partial, end=self._splitter.line_start)

    def _open(self) -> str | None:
        """Open the name; None on success, else why not."""
        try:
            self._fd = os.open(self.path, os.O_RDONLY)
        except OSError as exc:
            return "waiting for file" if exc.errno == errno.ENOENT else f"cannot read: {_why(exc)}"
        self.generation += 1
        self._head = os.pread(self._fd, FINGERPRINT, 0)
        self._splitter.restart(0)
        return None

    def _waiting(self, why: str) -> Batch:
        """Say once that the file is not there (or not readable); then stay quiet."""
        if self._missing == why:
            return Batch()
        self._missing = why
        return Batch((marker(why),))

    def _poll_open(self) -> list[LogLine]:
        assert self._fd is not None
        try:
            named = os.stat(self.path)
        except OSError:
            named = None
        held = os.fstat(self._fd)
        if named is None or (named.st_dev, named.st_ino) != (held.st_dev, held.st_ino):
            return self._switch(reopen=named is not None)
        out: list[LogLine] = []
        if self._rewritten(held.st_size):
            out.append(marker("truncated: reading from the start"))
            self.generation += 1
            self._head = os.pread(self._fd, FINGERPRINT, 0)
            self._splitter.restart(0)
        out.extend(self._read_new())
        return out

    def _switch(self, reopen: bool) -> list[LogLine]:
        """The name now points elsewhere (or nowhere): finish the old file, then move on."""
        out = self._read_new()  # drain: lines written before the rename are not lost
        out.extend(self._splitter.flush())
        self.close_locked()
        if not reopen:
            self._missing = None
            return [*out, marker("file removed"), *self._waiting("waiting for file").lines]
        error = self._open()
        if error:
            return [*out, *self._waiting(error).lines]
        return [*out, marker("rotated: following the new file"), *self._read_new()]

    def _rewritten(self, size: int) -> bool:
        """Truncated in place: smaller than what was read, or its first bytes changed."""
        assert self._fd is not None
        if size < self._splitter.offset:
            return True
        if len(self._head) < FINGERPRINT and size > len(self._head):
            head = os.pread(self._fd, FINGERPRINT, 0)
            if head[: len(self._head)] != self._head:
                return True
            self._head = head
            return False
        return bool(self._head) and os.pread(self._fd, len(self._head), 0) != self._head

    def _read_new(self) -> list[LogLine]:
        """Read from where we are to the current end (skipping ahead if far behind)."""
        assert self._fd is not None
        size = os.fstat(self._fd).st_size
        pos = self._splitter.offset
        out: list[LogLine] = []
        if size - pos > self.max_read:
            skip_to = size - self.max_read
            out.append(marker(f"skipped {skip_to - pos} bytes"))
            self._splitter.restart(skip_to)
            pos = skip_to
            first = True
        else:
            first = False
        while pos < size:
            block = os.pread(self._fd, min(1024 * 1024, size - pos), pos)
            if not block:
                break
            lines = self._splitter.feed(block)
            if first and lines:  # the line we landed in the middle of
                lines, first = lines[1:], False
            out.extend(lines)
            pos += len(block)
        return out
