"""The supervisord XML-RPC client: allow-listed calls, a deadline on each, one connection per
thread, read-only enforced here (not only in the UI)."""

from __future__ import annotations

import http.client
import threading
import xmlrpc.client
from typing import Any
from urllib.parse import urlsplit
from xml.parsers.expat import ExpatError

from console.core.parse import Invalid, Unfit, number
from console.core.sanitize import clean
from console.core.settings import SupervisorEndpoint, mask_url
from console.core.supervisor.errors import (
    ReadOnlyRefused,
    SupervisorFault,
    SupervisorUnavailable,
    from_fault,
    from_os_error,
)
from console.core.supervisor.models import (
    ConfigDiff,
    ProcessInfo,
    parse_config_info,
    parse_process,
    parse_processes,
)
from console.core.supervisor.transport import DeadlineTransport

# The only calls we make. Names from users (programs, groups) travel as parameters, never as
# method names: supervisord once resolved dotted names by attribute traversal (CVE-2017-11610).
READ_METHODS = frozenset(
    {
        "supervisor.getAllProcessInfo",
        "supervisor.getProcessInfo",
        "supervisor.getAllConfigInfo",
        "supervisor.getState",
        "supervisor.getPID",
        "supervisor.getIdentification",
        "supervisor.getSupervisorVersion",
        "supervisor.getAPIVersion",
        "supervisor.tailProcessStdoutLog",
        "supervisor.tailProcessStderrLog",
        "supervisor.readProcessStdoutLog",
        "supervisor.readProcessStderrLog",
        "supervisor.readLog",
    }
)
MUTATING_METHODS = frozenset(
    {
        "supervisor.startProcess",
        "supervisor.stopProcess",
        "supervisor.signalProcess",
        "supervisor.clearProcessLogs",
        "supervisor.reloadConfig",
        "supervisor.addProcessGroup",
        "supervisor.removeProcessGroup",
    }
)
ALLOWED_METHODS = READ_METHODS | MUTATING_METHODS | {"system.multicall"}


def _clean_url(url: str) -> str:
    """The URL without any user:password@ (credentials travel in a header only)."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and "@" in parts.netloc:
        return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()
    return url


class SupervisorClient:
    """One configured supervisord. Safe to use from many threads (a transport per thread)."""

    def __init__(self, endpoint: SupervisorEndpoint, timeout: float = 3.0, read_only: bool = False):
        self.endpoint = endpoint
        self.name = endpoint.name
        self.timeout = timeout
        self.read_only = read_only
        self.url = _clean_url(endpoint.url)
        self.shown_url = mask_url(endpoint.url)
        self._local = threading.local()

    def __repr__(self) -> str:
        mode = " read-only" if self.read_only else ""
        return f"<SupervisorClient {self.name} {self.shown_url}{mode}>"

    @property
    def is_local(self) -> bool:
        """True when supervisord runs on this machine (its pids are ours to inspect)."""
        if self.url.startswith("unix://"):
            return True
        return (urlsplit(self.url).hostname or "") in ("localhost", "127.0.0.1", "::1")

    def _transport(self) -> DeadlineTransport:
        transport = getattr(self._local, "transport", None)
        if transport is None:
            endpoint = self.endpoint
            transport = DeadlineTransport(
                self.url, self.timeout, endpoint.username, endpoint.password
            )
            self._local.transport = transport
        return transport

    def close(self) -> None:
        """Close this thread's connection."""
        transport = getattr(self._local, "transport", None)
        if transport is not None:
            transport.close()
            self._local.transport = None

    def _check(self, method: str) -> None:
        if method not in ALLOWED_METHODS:
            raise ValueError(f"{method} is not an allowed supervisord call")
        if self.read_only and method in MUTATING_METHODS:
            raise ReadOnlyRefused(f"read-only: {method.split('.')[-1]} refused")

    def call(self, method: str, *params: Any) -> Any:
        """One allow-listed call under the deadline; faults and outages become our errors."""
        self._check(method)
        if method == "system.multicall":
            for item in params[0]:
                self._check(item["methodName"])
        body = xmlrpc.client.dumps(params, method, allow_none=False).encode("utf-8")
        host = "localhost" if self.url.startswith("unix://") else urlsplit(self.url).netloc
        handler = (
            "/RPC2" if self.url.startswith("unix://") else (urlsplit(self.url).path or "/RPC2")
        )
        try:
            result = self._transport().call(host, handler, body)
        except xmlrpc.client.Fault as fault:
            raise from_fault(fault) from None
        except (OSError, xmlrpc.client.ProtocolError, http.client.HTTPException, ExpatError) as exc:
            self.close()
            raise from_os_error(exc, self.shown_url, self.timeout) from None
        return result[0] if isinstance(result, tuple) and len(result) == 1 else result

    def multicall(self, calls: list[tuple[str, tuple]]) -> list[Any]:
        """Many calls in one round trip; each item is a value or a SupervisorFault."""
        request = [{"methodName": m, "params": list(p)} for m, p in calls]
        answers = self.call("system.multicall", request)
        results: list[Any] = []
        for answer in answers:
            if isinstance(answer, dict) and "faultCode" in answer:
                error = from_fault(xmlrpc.client.Fault(answer["faultCode"], answer["faultString"]))
                if isinstance(error, SupervisorUnavailable):
                    raise error
                results.append(error)
            else:
                results.append(answer)  # supervisord sends raw values, not [value]
        return results

    # --- reads ---------------------------------------------------------------------------------

    def processes(self) -> list[ProcessInfo]:
        """getAllProcessInfo as dataclasses (processes that do not fit are left out)."""
        return self.read_processes()[0]

    def read_processes(self) -> tuple[list[ProcessInfo], list[Invalid]]:
        """getAllProcessInfo: the processes, and an Invalid for each answer that did not fit."""
        return parse_processes(self.name, self.call("supervisor.getAllProcessInfo"))

    def process(self, full_name: str) -> ProcessInfo:
        answer = self.call("supervisor.getProcessInfo", full_name)
        try:
            return parse_process(self.name, answer)
        except Unfit as exc:
            raise SupervisorUnavailable("invalid", f"{self.shown_url}: {exc}") from None

    def state(self) -> str:
        """supervisord's own state name (RUNNING, RESTARTING, SHUTDOWN)."""
        answer = self.call("supervisor.getState")
        name = answer.get("statename") if isinstance(answer, dict) else None
        if not isinstance(name, str):
            raise SupervisorUnavailable("invalid", f"{self.shown_url}: getState answered no name")
        return clean(name, 20)

    def pid(self) -> int:
        answer = self.call("supervisor.getPID")
        try:
            return int(number(answer, "pid", integer=True))
        except Unfit as exc:
            raise SupervisorUnavailable("invalid", f"{self.shown_url}: {exc}") from None

    def config_info(self) -> dict[str, dict[str, Any]]:
        """Program options by `group:name` (startsecs, stopwaitsecs, ... on supervisor 4)."""
        return parse_config_info(self.call("supervisor.getAllConfigInfo"))

    # --- config --------------------------------------------------------------------------------

    def reread(self) -> ConfigDiff:
        """reloadConfig: what `update` would add, change and remove (applies nothing)."""
        added, changed, removed = self.call("supervisor.reloadConfig")[0]
        return ConfigDiff(tuple(added), tuple(changed), tuple(removed))


__all__ = ["ALLOWED_METHODS", "MUTATING_METHODS", "SupervisorClient", "SupervisorFault"]
