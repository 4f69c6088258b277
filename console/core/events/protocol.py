"""supervisord's event listener protocol, on binary stdin/stdout (supervisor/childutils.py).

READY, then a header line of `key:value` tokens whose `len` says how many payload bytes follow;
the listener answers RESULT 2\\nOK. stdout carries the protocol and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from console.core.events.model import parse_tokens

MAX_PAYLOAD = 1 << 20


class ProtocolError(Exception):
    """supervisord sent something that is not the listener protocol."""


@dataclass(frozen=True)
class Envelope:
    eventname: str
    serial: str
    payload: str
    poolserial: int | None = None


class Channel:
    def __init__(self, stdin: BinaryIO, stdout: BinaryIO) -> None:
        self.stdin = stdin
        self.stdout = stdout

    def _write(self, data: bytes) -> None:
        self.stdout.write(data)
        self.stdout.flush()

    def ready(self) -> None:
        self._write(b"READY\n")

    def ok(self) -> None:
        self._write(b"RESULT 2\nOK")

    def receive(self) -> Envelope | None:
        """The next event, or None when supervisord closed our stdin."""
        line = self.stdin.readline()
        if not line:
            return None
        header = parse_tokens(line.decode("utf-8", errors="replace"))
        length = header.get("len", "")
        if not length.isdigit() or int(length) > MAX_PAYLOAD or "eventname" not in header:
            raise ProtocolError(f"not a supervisord event header: {line[:80]!r}")
        payload = self.stdin.read(int(length))
        if len(payload) < int(length):
            return None
        text = payload.decode("utf-8", errors="replace")
        pool = header.get("poolserial", "")
        serial = int(pool) if pool.isdigit() and len(pool) < 20 else None
        return Envelope(header["eventname"], header.get("serial", ""), text, serial)
