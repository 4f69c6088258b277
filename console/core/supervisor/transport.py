"""XML-RPC transport with a real deadline, for `unix://` sockets and `http(s)://` endpoints.

The stdlib `xmlrpc.client.Transport` (and supervisor's own `SupervisorTransport`) open sockets
with no timeout, so a stopped supervisord hangs the caller forever. Here every call gets one
deadline: the socket timeout is re-armed with the *remaining* time before the connect, the
response headers and every read of the body, so a server that trickles bytes cannot stretch it.
Only the connection factory and the response loop are ours; request framing, keep-alive and the
one retry on a dropped keep-alive connection stay the stdlib's.
"""

from __future__ import annotations

import base64
import http.client
import socket
import time
import xmlrpc.client
from typing import Any


class DeadlineExceeded(TimeoutError):
    """The whole call took longer than its deadline."""


class _Deadline:
    """Remaining time of one call; `arm(sock)` sets the socket timeout to it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.until = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.until - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(f"no answer within {self.seconds:g} s")
        return left

    def arm(self, sock: socket.socket | None) -> None:
        if sock is not None:
            sock.settimeout(self.remaining())


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a unix stream socket, with a connect timeout."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(self.path)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


class DeadlineTransport(xmlrpc.client.Transport):
    """One per thread: keeps one keep-alive connection, never shared across threads."""

    def __init__(self, url: str, timeout: float, username: str | None, password: str | None):
        headers = []
        if username is not None and password is not None:
            token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
            headers.append(("Authorization", f"Basic {token}"))
        super().__init__(headers=headers)
        self.url = url
        self.timeout = timeout
        self._deadline = _Deadline(timeout)

    def __repr__(self) -> str:  # never shows the Authorization header
        return f"<DeadlineTransport {self.url} timeout={self.timeout:g}s>"

    def call(self, host: str, handler: str, body: bytes) -> Any:
        """Send one request under a fresh deadline."""
        self._deadline = _Deadline(self.timeout)
        return self.request(host, handler, body)

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        if self._connection and host == self._connection[0]:
            conn = self._connection[1]
            self._deadline.arm(conn.sock)
            return conn
        remaining = self._deadline.remaining()
        if self.url.startswith("unix://"):
            conn: http.client.HTTPConnection = UnixHTTPConnection(self.url[7:], remaining)
        elif self.url.startswith("https://"):
            chost, self._extra_headers, _ = self.get_host_info(host)
            conn = http.client.HTTPSConnection(chost, timeout=remaining)
        else:
            chost, self._extra_headers, _ = self.get_host_info(host)
            conn = http.client.HTTPConnection(chost, timeout=remaining)
        self._connection = host, conn
        return conn

    def parse_response(self, response: http.client.HTTPResponse) -> Any:
        parser, unmarshaller = self.getparser()
        sock = self._connection[1].sock if self._connection[1] else None
        while True:
            self._deadline.arm(sock)
            data = response.read(65536)
            if not data:
                break
            parser.feed(data)
        parser.close()
        return unmarshaller.close()
