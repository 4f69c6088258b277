"""Container limits from cgroup v2 or v1 files, so a container reports against its own limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

V1_NO_LIMIT = 1 << 60  # v1 writes a huge page-aligned number when no memory limit is set


@dataclass(frozen=True)
class Limits:
    """What the cgroup allows; None where no limit is set."""

    version: int
    mem_limit: int | None
    cpu_cores: float | None

    @property
    def limited(self) -> bool:
        return self.mem_limit is not None or self.cpu_cores is not None


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def read_limits(root: Path = Path("/sys/fs/cgroup")) -> Limits | None:
    """Limits of the cgroup at `root` (v2 unified or v1 hierarchy), or None outside one."""
    if (root / "cgroup.controllers").exists():
        return _v2(root)
    if (root / "memory").is_dir() or (root / "cpu").is_dir():
        return _v1(root)
    return None


def _v2(root: Path) -> Limits:
    memory = _read(root / "memory.max")
    mem_limit = None if memory in (None, "max") else _int(memory)
    cores = None
    cpu = (_read(root / "cpu.max") or "max").split()
    if cpu and cpu[0] != "max" and len(cpu) == 2:
        quota, period = _int(cpu[0]), _int(cpu[1])
        if quota and period:
            cores = quota / period
    return Limits(2, mem_limit, cores)


def _v1(root: Path) -> Limits:
    mem_limit = _int(_read(root / "memory" / "memory.limit_in_bytes"))
    if mem_limit is not None and mem_limit >= V1_NO_LIMIT:
        mem_limit = None
    quota = _int(_read(root / "cpu" / "cpu.cfs_quota_us"))
    period = _int(_read(root / "cpu" / "cpu.cfs_period_us"))
    cores = quota / period if quota and quota > 0 and period else None
    return Limits(1, mem_limit, cores)


def memory_used(root: Path, version: int) -> int | None:
    """Bytes charged to the cgroup, minus reclaimable file cache where it is reported."""
    if version == 2:
        used = _int(_read(root / "memory.current"))
        stat = _read(root / "memory.stat")
        key = "inactive_file"
    else:
        used = _int(_read(root / "memory" / "memory.usage_in_bytes"))
        stat = _read(root / "memory" / "memory.stat")
        key = "total_inactive_file"
    if used is None:
        return None
    for line in (stat or "").splitlines():
        name, _, value = line.partition(" ")
        if name == key and value.isdigit():
            return max(0, used - int(value))
    return used


def cpu_usage_s(root: Path, version: int) -> float | None:
    """CPU seconds consumed by the cgroup so far (for a rate between two samples)."""
    if version == 2:
        for line in (_read(root / "cpu.stat") or "").splitlines():
            name, _, value = line.partition(" ")
            if name == "usage_usec" and value.isdigit():
                return int(value) / 1e6
        return None
    usage = _int(_read(root / "cpuacct" / "cpuacct.usage") or _read(root / "cpu" / "cpuacct.usage"))
    return usage / 1e9 if usage is not None else None
