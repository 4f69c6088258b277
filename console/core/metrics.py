"""Plain frozen dataclasses shared by the collectors (jobs), the cache, the store and the TUI.

Every snapshot carries `host` and `ts` (UTC epoch seconds) so its age can always be computed.
`to_payload` gives the JSON shape kept in the latest-value cache; `parse_snapshot` is the one
way back from it (a value that does not fit is an `Invalid` reading, never an exception).
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass
from typing import Any, TypeVar

from console.core import parse

T = TypeVar("T")


@dataclass(frozen=True)
class DiskUsage:
    mount: str
    total: int
    used: int
    percent: float


@dataclass(frozen=True)
class SystemHealth:
    """One sample of system health. `scope` is "container" when cgroup limits apply."""

    host: str
    ts: float
    scope: str = "host"
    cpu_percent: float | None = None
    cpu_count: float | None = None  # effective cores (cgroup quota in a container)
    load1: float | None = None
    load5: float | None = None
    load15: float | None = None
    mem_total: int | None = None
    mem_used: int | None = None
    mem_percent: float | None = None
    swap_total: int | None = None
    swap_used: int | None = None
    swap_percent: float | None = None
    disks: tuple[DiskUsage, ...] = ()
    disk_read_bps: float | None = None
    disk_write_bps: float | None = None
    net_rx_bps: float | None = None  # summed over net_interfaces (loopback never counts)
    net_tx_bps: float | None = None
    net_interfaces: tuple[str, ...] = ()
    process_count: int | None = None
    uptime_s: float | None = None

    @property
    def disk_percent(self) -> float | None:
        """The fullest filesystem: what an operator needs to worry about first."""
        return max((d.percent for d in self.disks), default=None)


@dataclass(frozen=True)
class QueueDepth:
    """One queue's depth. `error` says why a number is missing (missing key, wrong type)."""

    name: str
    kind: str
    pending: int | None = None
    scheduled: int | None = None
    reserved: int | None = None
    failed: int | None = None
    oldest_age_s: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class QueueSnapshot:
    host: str
    ts: float
    queues: tuple[QueueDepth, ...] = ()


@dataclass(frozen=True)
class PerformanceSnapshot:
    """Requests and jobs over a window (`window_s`), as reported by instrumented apps."""

    host: str
    ts: float
    window_s: float = 60.0
    requests: int = 0
    rps_now: float | None = None
    rps_avg: float | None = None
    rps_peak: float | None = None
    latency_avg_ms: float | None = None
    latency_p95_ms: float | None = None
    errors_5xx: int = 0
    jobs_processed: int = 0
    jobs_failed: int = 0
    jobs_per_min: float | None = None
    runtime_avg_ms: float | None = None
    runtime_p95_ms: float | None = None
    wait_avg_ms: float | None = None


@dataclass(frozen=True)
class Point:
    """One point of a downsampled series: bucket start (epoch s) and value (None = gap)."""

    ts: float
    value: float | None


def to_payload(obj: Any) -> dict[str, Any]:
    """A dataclass as a JSON-ready dict (nested dataclasses and tuples included)."""
    return dataclasses.asdict(obj)


MAX_ENTRIES = 1000  # disks or queues in one snapshot; more is not a real machine's
_KEY_FIELD: dict[type, str] = {DiskUsage: "mount", QueueDepth: "name"}  # unique per snapshot


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _field(hint: Any, value: Any, name: str) -> Any:
    """One field's value checked against its type hint (str, int, float, optional, tuples)."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and args[0] is str:
        return _names(value, name)
    if typing.get_origin(hint) is tuple:
        return _entries(args[0], value, name)
    if type(None) in args:
        if value is None:
            return None
        hint = next(a for a in args if a is not type(None))
    if hint is str:
        return parse.text(value, name)
    return parse.number(value, name, integer=hint is int)


def _names(value: Any, name: str) -> tuple[str, ...]:
    """A short list of names (network interfaces), each made safe to print."""
    if not isinstance(value, list | tuple):
        raise parse.Unfit(f"{name} is {parse.kind_of(value)}, expected a list")
    if len(value) > MAX_ENTRIES:
        raise parse.Unfit(f"{name} has {len(value)} entries (limit {MAX_ENTRIES})")
    return tuple(parse.text(v, f"{name}[{i}]", 64) for i, v in enumerate(value))


def _entries(cls: type, value: Any, name: str) -> tuple:
    """A list of nested snapshots (disks, queues): bounded, each named once."""
    if not isinstance(value, list | tuple):
        raise parse.Unfit(f"{name} is {parse.kind_of(value)}, expected a list")
    if len(value) > MAX_ENTRIES:
        raise parse.Unfit(f"{name} has {len(value)} entries (limit {MAX_ENTRIES})")
    items = tuple(_build(cls, v, f"{name}[{i}]") for i, v in enumerate(value))
    keys = [getattr(item, _KEY_FIELD[cls]) for item in items]
    if len(set(keys)) != len(keys):
        twice = next(k for i, k in enumerate(keys) if k in keys[:i])
        raise parse.Unfit(f"{name} lists {twice!r} twice")
    return items


def _build(cls: type[T], payload: Any, name: str) -> T:
    if not isinstance(payload, dict):
        raise parse.Unfit(f"{name} is {parse.kind_of(payload)}, expected an object")
    hints = _hints(cls)
    values = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in payload:
            values[f.name] = _field(hints[f.name], payload[f.name], f"{name}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise parse.Unfit(f"{name}.{f.name} is missing")
    return cls(**values)


def parse_snapshot(cls: type[T], payload: Any, what: str) -> T | parse.Invalid:
    """A snapshot from its cache payload, every field checked (type, finite, in range, no
    duplicate names); unknown keys are ignored. What does not fit is an Invalid reading
    whose reason names the field, e.g. `perf.rps_avg is a list, expected a number`."""
    try:
        return _build(cls, payload, what)
    except parse.Unfit as exc:
        return parse.invalid(what, exc)


def from_payload(cls: type[T], payload: dict[str, Any]) -> T:
    """A snapshot from a payload we wrote ourselves; raises ValueError when it does not fit."""
    found = parse_snapshot(cls, payload, cls.__name__)
    if isinstance(found, parse.Invalid):
        raise ValueError(found.reason)
    return found


__all__ = [
    "DiskUsage",
    "PerformanceSnapshot",
    "Point",
    "QueueDepth",
    "QueueSnapshot",
    "SystemHealth",
    "from_payload",
    "parse_snapshot",
    "to_payload",
]
