"""Shared bench helpers: repeat, summarise (median, min–max), print a row beside its reference."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
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
        print(f"| {row.what} | {ours} | {ref} | {shown} | {row.goal} |")
