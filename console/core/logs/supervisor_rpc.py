"""The log panes' supervisord calls, through the shared client (deadline, allow-list).

The log code depends only on the `tail(name, offset, length)` and `read(...)` shapes.
A client keeps one connection per thread, and a pane's polls never overlap.
"""

from __future__ import annotations

from console.core.logs.rpc_tail import ReadCall, TailCall
from console.core.logs.sources import ProgramLog
from console.core.settings import SupervisorEndpoint
from console.core.supervisor.client import SupervisorClient
from console.core.supervisor.errors import SupervisorFault


def make_client(endpoint: SupervisorEndpoint, timeout: float) -> SupervisorClient:
    """A read-only client: log panes never change anything."""
    return SupervisorClient(endpoint, timeout=timeout, read_only=True)


def short_name(group: str, name: str) -> str:
    """`name` when the group is the program's own, else `group:name` (as supervisorctl shows)."""
    return name if group == name else f"{group}:{name}"


def list_programs(endpoint: SupervisorEndpoint, timeout: float) -> list[ProgramLog]:
    """Every program of one supervisord with its log paths (raises on RPC errors)."""
    client = make_client(endpoint, timeout)
    try:
        processes = client.processes()
        try:
            config = client.config_info()
        except SupervisorFault:
            config = {}  # an old supervisord without getAllConfigInfo: empty stderr path tells
    finally:
        client.close()
    return [
        ProgramLog(
            endpoint=endpoint.name,
            name=short_name(p.group, p.name),
            stdout_logfile=p.stdout_logfile or "",
            stderr_logfile=p.stderr_logfile or "",
            statename=p.statename,
            redirect_stderr=bool(config.get(p.full_name, {}).get("redirect_stderr")),
        )
        for p in processes
    ]


def tail_call(client: SupervisorClient, stream: str) -> TailCall:
    """`tail(name, offset, length)` for stdout or stderr through this client."""
    method = f"supervisor.tailProcess{'Stderr' if stream == 'stderr' else 'Stdout'}Log"

    def tail(name: str, offset: int, length: int) -> tuple[str, int, bool]:
        data, new_offset, overflow = client.call(method, name, offset, length)
        return data, int(new_offset), bool(overflow)

    return tail


def read_call(client: SupervisorClient, stream: str) -> ReadCall:
    """`read(name, offset, length)` for stdout or stderr through this client."""
    method = f"supervisor.readProcess{'Stderr' if stream == 'stderr' else 'Stdout'}Log"
    return lambda name, offset, length: client.call(method, name, offset, length)


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


def main_log_read(client: SupervisorClient) -> ReadCall:
    """`read(name, offset, length)` for supervisord's main log (the name is ignored)."""
    return lambda _name, offset, length: client.call("supervisor.readLog", offset, length)


def main_log_tail(client: SupervisorClient) -> TailCall:
    """supervisord's main log behind the `tail(name, offset, length)` shape, via readLog."""
    read = main_log_read(client)

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
