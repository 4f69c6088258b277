"""One line per host for the fleet view: written by each worker each collection into one hash
(`keys.FLEET_SUMMARY`), so a console reads every host with one HGETALL, parsed here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.core.cache.base import dump
from console.core.metrics import QueueSnapshot, SystemHealth
from console.core.parse import Invalid, Unfit, decode_json, kind_of, optional_number
from console.core.parse import invalid as invalid_reading
from console.core.sanitize import clean
from console.core.supervisor.models import ProcessesSnapshot

MAX_SUMMARY_BYTES = 8 << 10


def summary_payload(
    host: str,
    now: float,
    health: SystemHealth | None,
    queues: QueueSnapshot | None,
    processes: ProcessesSnapshot | None,
    store: str = "ok",
    read_only: bool = False,
    alerts: int | None = None,
) -> str:
    """What the fleet view shows of this host, as JSON (the worker's side)."""
    out: dict[str, Any] = {"ts": now, "host": host, "store": store, "read_only": read_only}
    if alerts is not None:
        out["alerts"] = alerts
    if processes is not None:
        states = [p.statename for p in processes.processes]
        out |= {
            "programs": len(states),
            "running": states.count("RUNNING"),
            "fatal": states.count("FATAL"),
            "backoff": states.count("BACKOFF"),
            "endpoints_down": sum(not e.ok for e in processes.endpoints),
        }
    if queues is not None:
        depths = [(q.pending or 0, q.name) for q in queues.queues]
        if depths:
            depth, name = max(depths)
            out |= {"worst_queue": name[:200], "worst_backlog": depth}
    if health is not None:
        disks = [d.percent for d in health.disks]
        out |= {"cpu": health.cpu_percent, "mem": health.mem_percent}
        out["disk"] = max(disks) if disks else None
    return dump(out)


@dataclass(frozen=True)
class HostSummary:
    """A host's last published summary; None where the worker did not say."""

    host: str
    ts: float
    store: str = "ok"
    read_only: bool = False
    programs: int | None = None
    running: int | None = None
    fatal: int = 0
    backoff: int = 0
    endpoints_down: int = 0
    worst_queue: str = ""
    worst_backlog: int | None = None
    cpu: float | None = None
    mem: float | None = None
    disk: float | None = None
    alerts: int | None = None  # firing alerts (None: the worker did not say)


def _int(payload: dict, key: str, default: int | None = None) -> int | None:
    value = optional_number(payload.get(key), key, integer=True)
    return default if value is None else int(value)


def _float(payload: dict, key: str) -> float | None:
    value = optional_number(payload.get(key), key)
    return None if value is None else float(value)


def parse_summary(host: str, raw: bytes | str) -> HostSummary | Invalid:
    """One field of the summary hash; Invalid when it is not what a worker writes."""
    what = f"summary of {clean(host, 255)}"
    try:
        payload = decode_json(raw, what, max_bytes=MAX_SUMMARY_BYTES, depth=4)
        if not isinstance(payload, dict):
            raise Unfit(f"{what} is {kind_of(payload)}, not an object")
        ts = _float(payload, "ts")
        if ts is None:
            raise Unfit(f"{what} has no timestamp")
        store, queue = payload.get("store"), payload.get("worst_queue")
        return HostSummary(
            host=host,
            ts=ts,
            store=clean(store, 20) if isinstance(store, str) else "unknown",
            read_only=payload.get("read_only") is True,
            programs=_int(payload, "programs"),
            running=_int(payload, "running"),
            fatal=_int(payload, "fatal", 0) or 0,
            backoff=_int(payload, "backoff", 0) or 0,
            endpoints_down=_int(payload, "endpoints_down", 0) or 0,
            worst_queue=clean(queue, 200) if isinstance(queue, str) else "",
            worst_backlog=_int(payload, "worst_backlog"),
            cpu=_float(payload, "cpu"),
            mem=_float(payload, "mem"),
            disk=_float(payload, "disk"),
            alerts=_int(payload, "alerts"),
        )
    except Unfit as exc:
        return invalid_reading(what, exc)
