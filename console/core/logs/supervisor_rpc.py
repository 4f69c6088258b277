"""A tiny supervisord XML-RPC helper for the log panes, with a deadline on every call.

Stands in until the shared supervisord client (console.core.supervisor) lands; the log code
depends only on the `tail(name, offset, length)` shape, so switching is a one-line change.
One proxy per thread: a ServerProxy must not be shared across threads.
"""

from __future__ import annotations

import base64
import http.client
import socket
import xmlrpc.client
from urllib.parse import urlsplit

from console.core.logs.rpc_tail import ReadCall, TailCall
from console.core.logs.sources import ProgramLog
from console.core.settings import SupervisorEndpoint


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class _Transport(xmlrpc.client.Transport):
    """HTTP or unix-socket transport whose connections time out."""

    def __init__(self, endpoint: SupervisorEndpoint, timeout: float) -> None:
        super().__init__()
        self._endpoint = endpoint
        self._timeout = timeout

    def make_connection(self, host):  # type: ignore[override]
        if self._connection and self._connection[0] == host:
            return self._connection[1]
        path = self._endpoint.socket_path
        if path:
            conn: http.client.HTTPConnection = _UnixConnection(path, self._timeout)
        else:
            parts = urlsplit(self._endpoint.url)
            cls = (
                http.client.HTTPSConnection
                if parts.scheme == "https"
                else http.client.HTTPConnection
            )
            conn = cls(parts.hostname or "localhost", parts.port, timeout=self._timeout)
        self._connection = host, conn
        return conn

    def send_headers(self, connection, headers):  # type: ignore[override]
        endpoint = self._endpoint
        if endpoint.username is not None and endpoint.password is not None:
            token = base64.b64encode(f"{endpoint.username}:{endpoint.password}".encode()).decode()
            connection.putheader("Authorization", f"Basic {token}")
        super().send_headers(connection, headers)


def make_proxy(endpoint: SupervisorEndpoint, timeout: float) -> xmlrpc.client.ServerProxy:
    """A fresh proxy for one thread; every call gives up after `timeout` seconds."""
    return xmlrpc.client.ServerProxy(
        "http://localhost/RPC2", transport=_Transport(endpoint, timeout), allow_none=True
    )


def _full_name(info: dict) -> str:
    return info["name"] if info["group"] == info["name"] else f"{info['group']}:{info['name']}"


def list_programs(endpoint: SupervisorEndpoint, timeout: float) -> list[ProgramLog]:
    """Every program of one supervisord with its log paths (raises on RPC errors)."""
    proxy = make_proxy(endpoint, timeout)
    infos = proxy.supervisor.getAllProcessInfo()
    redirected: set[str] = set()
    try:
        for config in proxy.supervisor.getAllConfigInfo():
            if config.get("redirect_stderr"):  # only newer supervisords report it
                redirected.add(_full_name(config))
    except xmlrpc.client.Fault:
        pass  # older supervisord without getAllConfigInfo: fall back to empty stderr_logfile
    return [
        ProgramLog(
            endpoint=endpoint.name,
            name=_full_name(info),
            stdout_logfile=info.get("stdout_logfile") or "",
            stderr_logfile=info.get("stderr_logfile") or "",
            statename=info.get("statename", "UNKNOWN"),
            redirect_stderr=_full_name(info) in redirected,
        )
        for info in infos
    ]


def tail_call(proxy: xmlrpc.client.ServerProxy, stream: str) -> TailCall:
    """`tail(name, offset, length)` for stdout or stderr through this proxy."""
    method = (
        proxy.supervisor.tailProcessStderrLog
        if stream == "stderr"
        else proxy.supervisor.tailProcessStdoutLog
    )

    def tail(name: str, offset: int, length: int) -> tuple[str, int, bool]:
        data, new_offset, overflow = method(name, offset, length)
        return data, int(new_offset), bool(overflow)

    return tail


def read_call(proxy: xmlrpc.client.ServerProxy, stream: str) -> ReadCall:
    """`read(name, offset, length)` for stdout or stderr through this proxy."""
    method = (
        proxy.supervisor.readProcessStderrLog
        if stream == "stderr"
        else proxy.supervisor.readProcessStdoutLog
    )
    return lambda name, offset, length: method(name, offset, length)


def _main_log_size(read: ReadCall) -> int:
    """The main log's size, found with one-byte reads (readLog has no size call)."""
    if not read("", 0, 1):
        return 0
    high = 1
    while read("", high, 1):
        high *= 2
    low = high // 2  # read(low) has a byte, read(high) has none
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if read("", mid, 1) else (low, mid)
    return high


def main_log_tail(proxy: xmlrpc.client.ServerProxy) -> TailCall:
    """supervisord's main log behind the `tail(name, offset, length)` shape, via readLog."""

    def read(_name: str, offset: int, length: int) -> str:
        return proxy.supervisor.readLog(offset, length)

    def tail(_name: str, offset: int, length: int) -> tuple[str, int, bool]:
        if offset > 0 and length > 0:
            data = read("", offset, length)
            if data:
                return data, offset + len(data.encode("utf-8", errors="surrogateescape")), False
            if read("", offset - 1, 1):
                return "", offset, False  # nothing new
        size = _main_log_size(read)  # first call, a size query, or the log shrank
        if length == 0 or size < offset:
            return "", size, size > offset
        if size > length:
            return read("", size - length, length), size, True
        return (read("", 0, 0) if size else ""), size, False

    return tail


def main_log_read(proxy: xmlrpc.client.ServerProxy) -> ReadCall:
    """`read(name, offset, length)` for the main log (the name is ignored)."""
    return lambda _name, offset, length: proxy.supervisor.readLog(offset, length)
