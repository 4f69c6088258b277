"""Is a supervisord reachable? One `supervisor.getState` call with a hard deadline.

supervisor's own transport has no timeouts, so this opens its own connection (unix socket or
http) with a socket timeout. A fresh connection per call: ServerProxy is not thread-safe.
"""

from __future__ import annotations

import errno
import http.client
import socket
import xmlrpc.client

from console.core.sanitize import first_line
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
    def __init__(self, endpoint: SupervisorEndpoint, timeout: float) -> None:
        super().__init__()
        self._endpoint = endpoint
        self._timeout = timeout

    def make_connection(self, host: object) -> http.client.HTTPConnection:
        path = self._endpoint.socket_path
        if path is not None:
            return _UnixConnection(path, self._timeout)
        parts = self._endpoint.url.split("://", 1)[1].split("/", 1)[0]
        cls = http.client.HTTPSConnection if self._endpoint.url.startswith("https") else None
        if cls is not None:
            return cls(parts, timeout=self._timeout)
        return http.client.HTTPConnection(parts, timeout=self._timeout)


def _proxy(endpoint: SupervisorEndpoint, timeout: float) -> xmlrpc.client.ServerProxy:
    if endpoint.socket_path is not None:
        url = "http://localhost/RPC2"
    else:
        url = endpoint.url.rstrip("/") + ("" if endpoint.url.endswith("/RPC2") else "/RPC2")
    if endpoint.username:
        scheme, rest = url.split("://", 1)
        url = f"{scheme}://{endpoint.username}:{endpoint.password or ''}@{rest}"
    return xmlrpc.client.ServerProxy(url, transport=_Transport(endpoint, timeout))


def _os_reason(exc: OSError) -> str:
    words = {
        errno.ECONNREFUSED: "refused connection",
        errno.ENOENT: "no such socket file",
        errno.EACCES: "permission denied on the socket",
    }
    if isinstance(exc, TimeoutError | socket.timeout):
        return "no answer within the deadline"
    return words.get(exc.errno or 0, first_line(str(exc)) or type(exc).__name__)


def ping_supervisor(endpoint: SupervisorEndpoint, timeout: float) -> tuple[bool, str]:
    """(True, 'RUNNING') when it answers; (False, one-line reason) otherwise."""
    try:
        with _proxy(endpoint, timeout) as proxy:
            state = proxy.supervisor.getState()
    except xmlrpc.client.ProtocolError as exc:
        if exc.errcode == 401:
            return False, "requires authentication"
        return False, f"HTTP {exc.errcode}"
    except xmlrpc.client.Fault as exc:
        return False, first_line(f"fault {exc.faultCode}: {exc.faultString}")
    except OSError as exc:
        return False, _os_reason(exc)
    except (http.client.HTTPException, xmlrpc.client.Error) as exc:
        return False, first_line(str(exc)) or type(exc).__name__
    name = state.get("statename") if isinstance(state, dict) else None
    return True, first_line(str(name or "answering"))
