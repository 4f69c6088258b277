"""What a worker publishes about its host each collection, and the parse back in a console.

The process list is one JSON string per host (read by the Processes screen of any console);
the summary is one field per host of one hash (read for every host at once by the fleet view).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.core.cache.base import MAX_PAYLOAD_BYTES, dump
from console.core.parse import Invalid, Unfit, decode_json, kind_of, number
from console.core.parse import invalid as invalid_reading
from console.core.sanitize import clean
from console.core.supervisor.models import (
    EndpointStatus,
    ProcessesSnapshot,
    ProcessInfo,
    parse_processes,
)

_RPC_FIELDS = (
    "group",
    "name",
    "state",
    "statename",
    "pid",
    "start",
    "stop",
    "now",
    "exitstatus",
    "spawnerr",
    "stdout_logfile",
    "stderr_logfile",
    "description",
)
MAX_ENDPOINTS = 32


def processes_payload(
    snapshot: ProcessesSnapshot,
    redirected: frozenset[str] = frozenset(),
    read_only: bool = False,
    interval: int = 60,
) -> str:
    """The worker's process list as JSON: supervisord's own fields per process (so the console
    parses them with the same `parse_process` as an RPC answer), CPU/memory measured here."""
    processes = []
    for p in snapshot.processes:
        item: dict[str, Any] = {key: getattr(p, key) for key in _RPC_FIELDS}
        item |= {"endpoint": p.endpoint, "exit_words": p.exit_words}
        item |= {"cpu_percent": p.cpu_percent, "memory_rss": p.memory_rss}
        item["redirect_stderr"] = f"{p.endpoint}/{p.full_name}" in redirected
        processes.append(item)
    endpoints = [
        {"name": e.name, "kind": e.kind, "message": e.message, "state": e.state}
        for e in snapshot.endpoints
    ]
    payload = {"ts": snapshot.ts, "host": snapshot.host, "read_only": read_only}
    payload["interval"] = interval  # the next list is due by then: older is stale
    return dump(payload | {"endpoints": endpoints, "processes": processes})


@dataclass(frozen=True)
class Published:
    """A host's process list as its worker published it (`snapshot.ts`: when it was taken)."""

    snapshot: ProcessesSnapshot
    redirected: frozenset[str] = frozenset()  # endpoint/group:name with stderr in stdout
    read_only: bool = False
    interval: float = 60.0  # the worker's collection interval: a list older than 2x is stale


def _endpoint(item: Any, host: str) -> EndpointStatus:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise Unfit(f"an endpoint is {kind_of(item)}, not an object with a name")
    kind, message = item.get("kind"), item.get("message", "")
    return EndpointStatus(
        clean(item["name"], 60),
        f"via the worker on {clean(host, 255)}",
        clean(kind, 20) if isinstance(kind, str) and kind else "fault",
        clean(message, 300) if isinstance(message, str) else "",
        clean(item.get("state"), 20) if isinstance(item.get("state"), str) else "",
        via_worker=True,
    )


def _usage(info: dict, process: ProcessInfo) -> ProcessInfo:
    from dataclasses import replace

    cpu, rss, words = info.get("cpu_percent"), info.get("memory_rss"), info.get("exit_words")
    return replace(
        process,
        cpu_percent=float(number(cpu, "cpu_percent")) if cpu is not None else None,
        memory_rss=int(number(rss, "memory_rss", integer=True)) if rss is not None else None,
        exit_words=clean(words, 200) if isinstance(words, str) else "",
    )


def parse_published(raw: bytes | str | None, host: str) -> Published | Invalid | None:
    """The published list (None when the host's worker published none); Invalid when the
    payload is not ours. A process that does not fit is listed in `snapshot.invalid`."""
    if raw is None:
        return None
    what = f"process list of {clean(host, 255)}"
    try:
        payload = decode_json(raw, what, max_bytes=MAX_PAYLOAD_BYTES)
        if not isinstance(payload, dict):
            raise Unfit(f"{what} is {kind_of(payload)}, not an object")
        ts = float(number(payload.get("ts"), f"{what} timestamp"))
        raw_endpoints = payload.get("endpoints")
        raw_processes = payload.get("processes")
        if not isinstance(raw_endpoints, list) or not isinstance(raw_processes, list):
            raise Unfit(f"{what} has no endpoints or processes list")
        endpoints = tuple(_endpoint(e, host) for e in raw_endpoints[:MAX_ENDPOINTS])
        processes, invalid, redirected = [], [], set()
        for name in {e.name for e in endpoints}:
            items = [p for p in raw_processes if isinstance(p, dict) and p.get("endpoint") == name]
            found, bad = parse_processes(name, items)
            invalid.extend(bad)
            by_name = {f"{i.get('group')}:{i.get('name')}": i for i in items}
            for process in found:
                info = by_name.get(process.full_name, {})
                try:
                    processes.append(_usage(info, process))
                except Unfit as exc:
                    invalid.append(invalid_reading(what, exc))
                    continue
                if info.get("redirect_stderr") is True:
                    redirected.add(f"{name}/{process.full_name}")
    except Unfit as exc:
        return invalid_reading(what, exc)
    order = {e.name: i for i, e in enumerate(endpoints)}
    processes.sort(key=lambda p: order[p.endpoint])
    snapshot = ProcessesSnapshot(host, ts, tuple(processes), endpoints, tuple(invalid))
    interval = payload.get("interval")
    good = isinstance(interval, int | float) and not isinstance(interval, bool) and interval > 0
    every = float(interval) if good and interval < 1e9 else 60.0
    return Published(snapshot, frozenset(redirected), payload.get("read_only") is True, every)
