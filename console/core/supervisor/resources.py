"""CPU and memory of supervised processes and their children, from one psutil pass.

One `process_iter` over the machine gives every process's parent, CPU times and RSS; each
supervised pid's tree is summed from that. CPU % comes from the CPU-time delta since the
previous sample of the same process (keyed by pid and create time, so a reused pid is not
confused with its predecessor); the first sample of a process is None, never a fake 0.0.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import psutil

_ATTRS = ["pid", "ppid", "cpu_times", "memory_info", "create_time"]


@dataclass(frozen=True)
class Usage:
    cpu_percent: float | None
    memory_rss: int | None
    children: int


class ResourceSampler:
    """Keeps the previous CPU times between calls (the priming psutil needs)."""

    def __init__(self) -> None:
        self._previous: dict[tuple[int, float], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def sample(self, pids: Iterable[int], now: float | None = None) -> dict[int, Usage]:
        """Usage of each pid's whole tree; pids that vanished or are hidden are left out."""
        wanted = {pid for pid in pids if pid > 0}
        if not wanted:
            return {}
        now = time.monotonic() if now is None else now
        table = _scan()
        kids: dict[int, list[int]] = {}
        for pid, (ppid, _, _, _) in table.items():
            kids.setdefault(ppid, []).append(pid)
        with self._lock:
            current: dict[tuple[int, float], tuple[float, float]] = {}
            result = {
                pid: self._tree(pid, table, kids, now, current) for pid in wanted if pid in table
            }
            self._previous = current
        return result

    def _tree(self, root: int, table: dict, kids: dict, now: float, current: dict) -> Usage:
        cpu: float | None = 0.0
        rss: int | None = 0
        count = -1
        stack = [root]
        root_before = self._previous.get((root, table[root][3]))
        while stack:
            pid = stack.pop()
            stack.extend(kids.get(pid, ()))
            count += 1
            _, cpu_s, mem, created = table[pid]
            rss = None if rss is None or mem is None else rss + mem
            key = (pid, created)
            if cpu_s is not None:
                current[key] = (now, cpu_s)
            before = self._previous.get(key)
            if before is None and pid != root and root_before is not None:
                # The previous scan saw every process, so this child was born since: all of
                # its CPU time falls inside the interval.
                before = (root_before[0], 0.0)
            if cpu is None or cpu_s is None or before is None or now <= before[0]:
                cpu = None
            else:
                cpu += 100.0 * max(0.0, cpu_s - before[1]) / (now - before[0])
        return Usage(cpu, rss, count)


def _scan() -> dict[int, tuple[int, float | None, int | None, float | None]]:
    """pid -> (ppid, cpu seconds, rss, create time) for every visible process."""
    table = {}
    for proc in psutil.process_iter(_ATTRS, ad_value=None):
        info = proc.info
        times = info["cpu_times"]
        memory = info["memory_info"]
        table[info["pid"]] = (
            info["ppid"] or 0,
            None if times is None else times.user + times.system,
            None if memory is None else memory.rss,
            info["create_time"],
        )
    return table


def has_execed(pid: int, parent_pid: int) -> bool | None:
    """Whether a freshly forked child has exec'd its program yet (None: cannot tell).

    Between fork and exec the child still runs supervisord's Python code with supervisord's
    signal handlers, which swallow SIGTERM/SIGINT/SIGHUP; a stop sent then is lost and
    supervisord waits `stopwaitsecs` before SIGKILL. Before exec the child's command line is
    its parent's.
    """
    try:
        return psutil.Process(pid).cmdline() != psutil.Process(parent_pid).cmdline()
    except psutil.NoSuchProcess:
        return True  # gone: nothing to wait for
    except psutil.AccessDenied:
        return None
