"""Shared bench helpers: repeat, summarise (median, min–max), print a row beside its reference."""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Stats:
    median: float
    low: float
    high: float
    runs: int

    def show(self, unit: str) -> str:
        return f"{fmt(self.median, unit)} ({fmt(self.low, unit)}–{fmt(self.high, unit)})"


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.0f} µs"
        if value < 1:
            return f"{value * 1e3:.1f} ms"
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "%":
        return f"{value:.2f} %"
    return f"{value:,.0f} {unit}".strip()


def summarise(values: Sequence[float]) -> Stats:
    return Stats(statistics.median(values), min(values), max(values), len(values))


def timed(fn: Callable[[], object], runs: int = 7, warmup: int = 1) -> Stats:
    """Wall time of fn() over `runs` runs, after `warmup` unmeasured ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return summarise(samples)


def timed_command(argv: Sequence[str], runs: int = 7) -> Stats | None:
    """Whole-process wall time of a command; None when the tool is not installed."""
    if shutil.which(argv[0]) is None:
        return None
    return timed(lambda: subprocess.run(argv, stdout=subprocess.DEVNULL, check=False), runs)


@dataclass(frozen=True)
class Row:
    what: str
    ours: Stats | None
    reference: Stats | None
    reference_name: str
    goal: str
    unit: str = "s"
    goal_ratio: float | None = None  # ours/reference must be <= this

    def ratio(self) -> float | None:
        if self.ours is None or self.reference is None or self.reference.median == 0:
            return None
        return self.ours.median / self.reference.median


def print_table(title: str, rows: Sequence[Row]) -> None:
    print(f"\n## {title}\n")
    print("| what | ours, median (min–max) | reference | ratio | goal |")
    print("|---|---|---|---|---|")
    for row in rows:
        ours = row.ours.show(row.unit) if row.ours else "n/a"
        ref = (
            f"{row.reference_name}: {row.reference.show(row.unit)}"
            if row.reference
            else f"{row.reference_name}: not available here"
        )
        ratio = row.ratio()
        shown = f"{ratio:.2f}×" if ratio is not None else "–"
        goal = row.goal
        if row.goal_ratio is not None and ratio is not None:
            goal += " — met" if ratio <= row.goal_ratio else " — MISSED"
        what = row.what.replace("|", "\\|")  # a regex alternation must not split the cell
        print(f"| {what} | {ours} | {ref} | {shown} | {goal} |")


def interleaved(fns: Sequence[Callable[[], object]], runs: int = 7, warmup: int = 1) -> list[Stats]:
    """Wall time of each fn, their runs alternating so a noisy neighbour hits them alike."""
    for fn in fns:
        for _ in range(warmup):
            fn()
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, out in zip(fns, samples, strict=True):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return [summarise(s) for s in samples]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def private_redis() -> Iterator[str | None]:
    """A throw-away redis-server on a free port (its URL), or None when it is not installed."""
    exe = shutil.which("redis-server")
    if exe is None:
        yield None
        return
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="stackwatch-bench-redis-")
    argv = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", workdir]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the private redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)
