"""The memmon rule (off by default): a program whose memory with its children passes `threshold`
MB fires an alert, and the worker restarts it, as superlance's memmon does (jobs.memmon).

The memory is what the worker measured at its last collection and published with the process
list; a list older than a few collections says nothing (no restart on old numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

from console.core.fleet.published import Published

MB = 1024 * 1024
STALE_INTERVALS = 3


@dataclass(frozen=True)
class ProgramMemory:
    endpoint: str
    program: str  # group:name
    mb: float  # resident memory of the process and its children


def program_memory(published: Published | None, now: float) -> tuple[ProgramMemory, ...] | None:
    """Each measured program's memory; None without a fresh published list."""
    if published is None:
        return None
    if now - published.snapshot.ts > STALE_INTERVALS * max(published.interval, 1.0):
        return None
    return tuple(
        ProgramMemory(p.endpoint, p.full_name, p.memory_rss / MB)
        for p in published.snapshot.processes
        if p.memory_rss is not None and p.statename == "RUNNING"
    )
