"""System health with psutil: one `SystemCollector` keeps the previous counters for rates.

CPU is primed at construction (psutil's first `cpu_percent()` is a meaningless 0.0). Inside a
container with cgroup limits, memory and CPU are reported against the container's limits and
the sample says scope="container".
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from console.core.metrics import DiskUsage, SystemHealth
from jobs.collectors import cgroup

# Pseudo and read-only image filesystems are not something an operator can fill up.
SKIP_FSTYPES = frozenset(
    {"squashfs", "tmpfs", "devtmpfs", "proc", "sysfs", "cgroup", "cgroup2", "nsfs", "iso9660"}
)
PARTITIONS_EVERY = 10  # re-list mounts every N samples: the list rarely changes
# Host-side ends of container and VM links: their traffic is already counted on the real
# interface it leaves by, so counting them too would double it.
VIRTUAL_PREFIXES = ("veth", "docker", "br-", "virbr", "cni", "cali", "flannel", "vnet")


class SystemCollector:
    """Samples system health; rates come from the delta to the previous sample."""

    def __init__(
        self,
        host: str,
        clock: Callable[[], float] = time.time,
        cgroup_root: Path = Path("/sys/fs/cgroup"),
    ) -> None:
        self.host = host
        self.clock = clock
        self.cgroup_root = cgroup_root
        self.limits = cgroup.read_limits(cgroup_root)
        self.boot_time = psutil.boot_time()
        self._mounts: list[str] = []
        self._samples = 0
        self._prev: tuple[float, object, object, float | None] | None = None
        psutil.cpu_percent(interval=None)  # prime: the next call measures since now
        self._prev = (self.clock(), *self._io(), self._cgroup_cpu())

    @property
    def in_container(self) -> bool:
        return self.limits is not None and self.limits.limited

    def _io(self) -> tuple[object, object]:
        return psutil.disk_io_counters(), real_interface_counters()

    def _cgroup_cpu(self) -> float | None:
        if not self.in_container:
            return None
        return cgroup.cpu_usage_s(self.cgroup_root, self.limits.version)  # type: ignore[union-attr]

    def collect(self, now: float | None = None) -> SystemHealth:
        """One sample; `now` (epoch s) defaults to the injected clock."""
        now = self.clock() if now is None else now
        disk, net = self._io()
        cpu_s = self._cgroup_cpu()
        prev_t, prev_disk, prev_net, prev_cpu = self._prev  # type: ignore[misc]
        elapsed = now - prev_t
        self._prev = (now, disk, net, cpu_s)
        health = SystemHealth(
            host=self.host,
            ts=now,
            scope="container" if self.in_container else "host",
            **self._cpu(elapsed, cpu_s, prev_cpu),
            **_load(),
            **self._memory(),
            **_swap(),
            disks=self._disks(),
            **_rates(elapsed, prev_disk, disk, prev_net, net),
            process_count=len(psutil.pids()),
            uptime_s=max(0.0, time.time() - self.boot_time),  # wall clock: boot time is real
        )
        return health

    def _cpu(self, elapsed: float, cpu_s: float | None, prev_cpu: float | None) -> dict:
        host_percent = psutil.cpu_percent(interval=None)
        cores = self.limits.cpu_cores if self.limits else None
        if cores and cpu_s is not None and prev_cpu is not None and elapsed > 0:
            percent = min(100.0, max(0.0, (cpu_s - prev_cpu) / (elapsed * cores) * 100))
            return {"cpu_percent": round(percent, 1), "cpu_count": cores}
        return {"cpu_percent": host_percent, "cpu_count": float(psutil.cpu_count() or 1)}

    def _memory(self) -> dict:
        vm = psutil.virtual_memory()
        limit = self.limits.mem_limit if self.limits else None
        if limit:
            used = cgroup.memory_used(self.cgroup_root, self.limits.version)  # type: ignore[union-attr]
            if used is not None:
                total = min(limit, vm.total)
                return {
                    "mem_total": total,
                    "mem_used": used,
                    "mem_percent": round(used / total * 100, 1),
                }
        used = vm.total - vm.available
        return {"mem_total": vm.total, "mem_used": used, "mem_percent": vm.percent}

    def _disks(self) -> tuple[DiskUsage, ...]:
        if self._samples % PARTITIONS_EVERY == 0:
            self._mounts = real_mounts()
        self._samples += 1
        disks = []
        for mount in self._mounts:
            try:
                usage = psutil.disk_usage(mount)
            except OSError:
                continue  # unmounted since we listed it, or not ours to read
            disks.append(DiskUsage(mount, usage.total, usage.used, usage.percent))
        return tuple(disks)


def real_mounts() -> list[str]:
    """Mount points of real filesystems, one per device (the shortest path wins)."""
    by_device: dict[str, str] = {}
    for part in psutil.disk_partitions(all=False):
        if part.fstype in SKIP_FSTYPES or not os.path.isdir(part.mountpoint):
            continue
        known = by_device.get(part.device)
        if known is None or len(part.mountpoint) < len(known):
            by_device[part.device] = part.mountpoint
    mounts = sorted(set(by_device.values()))
    return mounts or ["/"]


def real_interface_counters() -> dict[str, tuple[int, int]]:
    """{interface: (bytes received, bytes sent)} of the interfaces that carry real traffic:
    up, not loopback, not the host side of a container or VM link."""
    try:
        stats = psutil.net_if_stats()
        counters = psutil.net_io_counters(pernic=True)
    except OSError:
        return {}
    real = {}
    for name, counter in counters.items():
        nic = stats.get(name)
        if nic is None or not nic.isup or "loopback" in nic.flags.split(","):
            continue
        if name == "lo" or name.startswith(VIRTUAL_PREFIXES):
            continue
        real[name] = (counter.bytes_recv, counter.bytes_sent)
    return real


def _net_rates(elapsed: float, before: dict, after: dict) -> dict:
    """Summed rates over interfaces present in both samples; a reset counter is left out."""
    names = sorted(
        n
        for n in after
        if n in before and after[n][0] >= before[n][0] and after[n][1] >= before[n][1]
    )
    if not names or elapsed <= 0:
        return {"net_interfaces": tuple(sorted(after))}
    rx = sum(after[n][0] - before[n][0] for n in names)
    tx = sum(after[n][1] - before[n][1] for n in names)
    return {
        "net_rx_bps": round(rx / elapsed, 1),
        "net_tx_bps": round(tx / elapsed, 1),
        "net_interfaces": tuple(names),
    }


def _load() -> dict:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return {}
    return {"load1": one, "load5": five, "load15": fifteen}


def _swap() -> dict:
    swap = psutil.swap_memory()
    return {"swap_total": swap.total, "swap_used": swap.used, "swap_percent": swap.percent}


def _rate(before: float, after: float, elapsed: float) -> float | None:
    """Bytes per second; None when there is no interval or a counter went backwards (reset)."""
    if elapsed <= 0 or after < before:
        return None
    return round((after - before) / elapsed, 1)


def _rates(elapsed: float, prev_disk, disk, prev_net, net) -> dict:
    rates: dict = {}
    if prev_disk is not None and disk is not None:
        rates["disk_read_bps"] = _rate(prev_disk.read_bytes, disk.read_bytes, elapsed)
        rates["disk_write_bps"] = _rate(prev_disk.write_bytes, disk.write_bytes, elapsed)
    if prev_net is not None and net is not None:
        rates.update(_net_rates(elapsed, prev_net, net))
    return rates
