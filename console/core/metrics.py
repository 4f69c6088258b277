"""Plain frozen dataclasses shared by the collectors (jobs), the cache, the store and the TUI.

Every snapshot carries `host` and `ts` (UTC epoch seconds) so its age can always be computed.
`to_payload`/`from_payload` give the JSON shape kept in the latest-value cache.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, TypeVar

from console.core.sanitize import clean

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


def from_payload(cls: type[T], payload: dict[str, Any]) -> T:
    """Rebuild a snapshot from its cache payload; unknown keys are ignored, bad shapes raise
    TypeError/ValueError (the cache reports those as an invalid entry)."""
    known = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for name, value in payload.items():
        if name not in known:
            continue
        if name == "disks":
            value = tuple(DiskUsage(**d) for d in value)
        elif name == "queues":
            value = tuple(QueueDepth(**q) for q in value)
        elif name == "net_interfaces":
            value = tuple(clean(str(n), 32) for n in value)
        values[name] = value
    return cls(**values)


__all__ = [
    "DiskUsage",
    "PerformanceSnapshot",
    "Point",
    "QueueDepth",
    "QueueSnapshot",
    "SystemHealth",
    "from_payload",
    "to_payload",
]
