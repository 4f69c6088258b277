"""Follow a program's log through supervisord's tail call, fixing what that call hides.

`tailProcessStdoutLog(name, offset, length)` returns `[data, new_offset, overflow]`. When the
file got smaller (rotation, clear) it returns nothing and resets the offset, so the lines
written since would never arrive: we notice the shrink (or a changed head, when the new file
already grew past the old offset) and re-read the new file from its start. On overflow it
jumps to the end: we say how many bytes were skipped.
"""

from __future__ import annotations

import time
import xml.parsers.expat
import xmlrpc.client
from collections.abc import Callable

from console.core.errors import StackwatchError
from console.core.logs.lines import (
    MAX_LINE_BYTES,
    Batch,
    LineSplitter,
    LogLine,
    char_boundary,
    marker,
)
from console.core.sanitize import first_line

# tail(name, offset, length) -> (data, new_offset, overflow); read(name, offset, length) -> data
TailCall = Callable[[str, int, int], tuple[str, int, bool]]
ReadCall = Callable[[str, int, int], str]

CHUNK = 256 * 1024
FINGERPRINT = 64
ROTATED = (
    "rotated or truncated: new file read from its start (its predecessor's last lines stay there)"
)
# What a call may raise: transport trouble, a fault, or a reply that is not valid XML (control
# bytes in the log are not allowed in XML 1.0, so supervisord's reply cannot be parsed).
RPC_ERRORS = (OSError, xmlrpc.client.Error, xml.parsers.expat.ExpatError, StackwatchError)


def _encoded(data: str) -> bytes:
    return data.encode("utf-8", errors="surrogateescape")


class RpcTail:
    """The last lines of a program's log, then what is appended, through supervisord."""

    def __init__(
        self,
        name: str,
        tail: TailCall,
        read: ReadCall | None = None,
        cap: int = MAX_LINE_BYTES,
        head: ReadCall | None = None,
    ) -> None:
        self.name = name
        self.cap = cap
        self.generation = 0
        self._tail = tail
        self._read = read  # exact byte ranges; without it, new bytes are cut from tail's data
        self._head_call = head or read
        self._offset = 0
        self._head: str | None = None
        self._splitter = LineSplitter(cap=cap)
        self._error: str | None = None
        self._seen = b""  # the last bytes read of the current file (to check it is the same)

    def start(self, n: int) -> Batch:
        """The last n lines (from the last CHUNK bytes of the log)."""
        try:
            self._seen = b""
            self._offset = 0
            size = self._size(0)
            self._error = None
            self._remember_head(size)
            lines = self._fetch(0, size, quiet=True)
        except RPC_ERRORS as exc:
            return self._failed(exc)
        return Batch(tuple(lines[-n:]) if n else (), self._splitter.partial, reset=True)

    def poll(self) -> Batch:
        """New lines since the last call, with markers for rotation and skipped bytes."""
        try:
            return self._batch(self._poll())
        except RPC_ERRORS as exc:
            return self._failed(exc)

    def read_at(self, at: float, n: int) -> Batch:
        """Up to n lines from the first one written at or after `at`: the log is bisected
        through supervisord's read call (a few dozen small reads), never read through."""
        from console.core.logs.timejump import first_in

        if self._read is None:
            return Batch(note="cannot jump to a time: this supervisord has no read call")
        read = self._read

        def pread(pos: int, length: int) -> bytes:
            return _encoded(read(self.name, pos, length))

        try:
            size = self._size(0)
            offset = first_in(pread, size, at, None, time.time())
            data = pread(offset, min(CHUNK, size - offset)) if size > offset else b""
        except RPC_ERRORS as exc:
            return self._failed(exc)
        splitter = LineSplitter(cap=self.cap)
        splitter.restart(offset)
        return Batch(tuple(splitter.feed(data)[:n]), start=offset)

    def _size(self, offset: int) -> int:
        """The log's current size (the tail call with length 0 returns just that)."""
        if self._read is None:
            return -1  # learnt from the data call itself
        return self._tail(self.name, offset, 0)[1]

    def _poll(self) -> list[LogLine]:
        old = self._offset
        out: list[LogLine] = []
        if self._error:
            self._error = None
            out.append(marker("supervisord answers again"))
        try:
            if self._read is None:
                data, size, overflow = self._tail(self.name, old, CHUNK)
            else:
                data, size, overflow = "", self._size(old), False
            if size < old or (size > old and self._head_changed()):
                # Rotated or cleared: the tail call would skip the new file's first lines.
                out.append(marker(ROTATED))
                self._remember_head(size)
                self._splitter.restart(0)
                self._seen = b""
                self._offset = old = 0
                if self._read is None:
                    data, size, overflow = self._tail(self.name, 0, CHUNK)
            out.extend(self._fetch(old, size, data=data, overflow=overflow))
        except (xmlrpc.client.Fault, xml.parsers.expat.ExpatError) as exc:
            out.extend(self._skip_unreadable(old, exc))
        return out

    def _fetch(
        self, old: int, size: int, data: str = "", overflow: bool = False, quiet: bool = False
    ) -> list[LogLine]:
        """The bytes from `old` to `size` as lines; past CHUNK behind, skip ahead and say so."""
        if self._read is None:
            if quiet:
                data, size, overflow = self._tail(self.name, old, CHUNK)
            raw = _encoded(data)
            if size - old <= len(raw) and not overflow:
                raw = raw[len(raw) - (size - old) :]
            start = size - len(raw)
        else:
            start = max(old, size - CHUNK)
            raw = self._read_after_seen(start, size) if size > start else b""
            if raw is None:  # a different file than the one read so far: start it over
                self._seen = b""
                self._splitter.restart(0)
                self._offset = 0
                self.generation += 1
                return [] if quiet else [marker(ROTATED)]
        out: list[LogLine] = []
        if start > old and not quiet:
            out.append(marker(f"skipped {start - old} bytes"))
        if start != self._splitter.offset or start > old:
            self._splitter.restart(start)
            self.generation += 1
        # What was read, not the size asked before: the file may have been replaced between
        # the two calls, and then the read is shorter (the next poll notices the change).
        self._offset = size if self._read is None else start + len(raw)
        if self._read is not None and start == 0 and raw:
            # The head from the same read as the data, so both describe the same file.
            self._head = char_boundary(raw[:FINGERPRINT]).decode("utf-8", "replace")
        self._seen = _char_start(
            (self._seen + raw)[-FINGERPRINT:] if start == old else raw[-FINGERPRINT:]
        )
        lines = self._splitter.feed(raw)
        out.extend(lines[1:] if start > 0 and start > old and lines else lines)
        return out

    def _read_after_seen(self, start: int, size: int) -> bytes | None:
        """Bytes start..size, read together with the last bytes already read before `start`.

        The size and the read are two calls: supervisord may rotate between them, and the read
        would then return the new file's middle as if it followed (its start would be read
        again after the rotation marker). Reading the bytes we already saw in the same call
        proves it is the same file; None when it is not.
        """
        seen = self._seen if start == self._offset else b""
        raw = _encoded(self._read(self.name, start - len(seen), size - start + len(seen)))
        if not raw.startswith(seen):
            return None
        return raw[len(seen) :]

    def _remember_head(self, size: int) -> None:
        self._head = self._fetch_head() if size else ""

    def _fetch_head(self) -> str | None:
        if self._head_call is None:
            return None
        try:
            return self._head_call(self.name, 0, FINGERPRINT)
        except RPC_ERRORS:
            return None  # unreadable head: rotation past the old size goes unnoticed

    def _head_changed(self) -> bool:
        if self._head is None:
            return False
        head = self._fetch_head()
        if head is None:
            return False
        if len(self._head) < FINGERPRINT and len(head) > len(self._head):
            changed = not head.startswith(self._head)
            if not changed:
                self._head = head
            return changed
        return head[: len(self._head)] != self._head

    def _skip_unreadable(self, old: int, exc: Exception) -> list[LogLine]:
        """supervisord cannot send this part (invalid UTF-8 or control bytes): skip it."""
        if isinstance(exc, xmlrpc.client.Fault) and exc.faultCode == 10:  # BAD_NAME
            raise exc
        size = self._tail(self.name, old, 0)[1]  # zero bytes: just the current size
        self._splitter.restart(size)
        self._offset = size
        self._seen = b""
        why = "control bytes or invalid UTF-8 that XML-RPC cannot carry"
        return [marker(f"skipped {max(0, size - old)} bytes: {why}")]

    def _batch(self, lines: list[LogLine]) -> Batch:
        return Batch(tuple(lines), self._splitter.partial)

    def _failed(self, exc: BaseException) -> Batch:
        why = describe_rpc_error(exc)
        if why == self._error:
            return Batch()
        self._error = why
        return Batch((marker(f"supervisord: {why}; retrying"),))


def _char_start(data: bytes) -> bytes:
    """data without the UTF-8 continuation bytes at its start (supervisord decodes strictly,
    so a read must not begin in the middle of a character)."""
    cut = 0
    while cut < len(data) and 0x80 <= data[cut] < 0xC0:
        cut += 1
    return data[cut:]


def describe_rpc_error(exc: BaseException) -> str:
    """One sanitized line saying what went wrong with a call."""
    if isinstance(exc, xmlrpc.client.Fault):
        return first_line(f"{exc.faultString} (fault {exc.faultCode})")
    if isinstance(exc, xmlrpc.client.ProtocolError):
        return first_line(f"HTTP {exc.errcode} {exc.errmsg}")
    if isinstance(exc, OSError):
        return first_line(exc.strerror or str(exc) or type(exc).__name__)
    return first_line(str(exc) or type(exc).__name__)
