"""Benchmark (run apart): searching a 1 GiB log as the console and the CLI do, beside GNU tools.

    .venv/bin/python -m tests.bench.bench_logs [--size-mb 1024] [--runs 5] [--keep]

Every figure goes through the code the user runs: counts through `count_matches` (the CLI's
`--count`), the screen's filter through `FileFollower.filtered`, both on the one scan engine
(console.core.logs.scan). The log is generated under /tmp and deleted at the end (--keep
keeps it for another run). Medians over the runs, min-max, in the same run as the reference.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import threading
import time
from pathlib import Path

import psutil

from console.core.logs.follow import FileFollower
from console.core.logs.grep import count_matches
from console.core.logs.search import PRESETS, Query
from tests.bench.common import Row, Stats, interleaved, print_table, summarise, timed

LEVELS = ["INFO"] * 17 + ["WARNING", "DEBUG", "ERROR"]
RARE = "deploy 7f3c2a started by alice"  # one line, at the very top
SEARCHES = [
    ("a word", "ERROR"),
    ("the errors preset", PRESETS["errors"]),
    ("an alternation of five words", "ERROR|CRITICAL|FATAL|PANIC|TIMEOUT"),
]


def make_log(path: Path, size: int) -> None:
    """Python-logging-like lines, one in 20 an ERROR, the rare line first."""
    if path.exists() and path.stat().st_size >= size:
        return
    block = "".join(
        f"2024-05-01 10:{i // 60 % 60:02d}:{i % 60:02d},{i % 1000:03d} {LEVELS[i % len(LEVELS)]} "
        f"app.worker: job {i} finished in {i % 997} ms queue=default\n"
        for i in range(20000)
    ).encode()
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as handle:
        handle.write(f"2024-05-01 09:59:59,000 INFO app.deploy: {RARE}\n".encode())
        written = 0
        while written < size:
            handle.write(block)
            written += len(block)
    tmp.rename(path)


def last_screen(path: Path) -> None:
    follower = FileFollower(str(path))
    batch = follower.start(50)
    assert len(batch.lines) == 50
    follower.close()


def count_row(path: Path, label: str, pattern: str, runs: int) -> Row:
    """Our count (the CLI's --count) beside `grep -c -E`, checked equal first."""
    query = Query(pattern, regex=True, ignore_case=False)
    count = count_matches(str(path), query)
    what = f"count, {label} ({count:,} lines)"
    argv = ["grep", "-c", "-E", pattern, str(path)]
    if not shutil.which("grep"):
        return Row(what, timed(lambda: count_matches(str(path), query), runs), None, "grep", "≤ 1×")
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert count == int(out.stdout.strip()), (count, out.stdout)
    ours, grep = interleaved(
        [
            lambda: count_matches(str(path), query),
            lambda: subprocess.run(argv, capture_output=True),
        ],
        runs,
    )
    return Row(what, ours, grep, "grep -c -E", "≤ 1×", goal_ratio=1.0)


def _screen_filter(path: Path, text: str) -> tuple[float, float]:
    """The screen's filter: (seconds to its first lines, seconds to the end of the scan)."""
    follower = FileFollower(str(path))
    follower.start(50)
    started = time.perf_counter()
    first = None
    for lines, _progress in follower.filtered(Query(text), 500, lambda: False):
        if lines and first is None:
            first = time.perf_counter() - started
    follower.close()
    return first if first is not None else float("inf"), time.perf_counter() - started


def rare_row(path: Path, runs: int) -> Row:
    """A line that exists only at the top, found from the bottom (the screen's filter)."""
    argv = f"tac {path} | grep -m1 -F '{RARE}'"
    ours, tac = interleaved(
        [
            lambda: _screen_filter(path, RARE),
            lambda: subprocess.run(argv, shell=True, capture_output=True, check=False),
        ],
        runs,
    )
    available = shutil.which("tac") is not None
    what = "filter for a line only at the top, from the bottom (screen)"
    return Row(what, ours, tac if available else None, "tac FILE, grep -m1", "≤ 1×", goal_ratio=1.0)


def first_match_row(path: Path, runs: int) -> Row:
    samples = [_screen_filter(path, "ERROR")[0] for _ in range(runs)]
    ours = summarise(samples)
    return Row("filter ERROR: first lines on screen", ours, None, "(no reference)", "< 0.2 s")


def rss_row(path: Path) -> Row:
    """Peak RSS of this process (the console's scan) plus its scan workers, over a 1 GiB count."""
    me = psutil.Process()
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total = me.memory_info().rss
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            peak[0] = max(peak[0], total)
            time.sleep(0.02)

    thread = threading.Thread(target=sample)
    base = me.memory_info().rss
    thread.start()
    count_matches(str(path), Query.preset("errors"))
    done.set()
    thread.join()
    mb = 1024 * 1024
    ours = Stats(peak[0] / mb, peak[0] / mb, peak[0] / mb, 1)
    before = Stats(base / mb, base / mb, base / mb, 1)
    what = "RSS during a 1 GiB scan: process + scan workers (peak)"
    return Row(what, ours, before, "this process before", "bounded", unit="MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the generated log")
    args = parser.parse_args(argv)
    path = Path(f"/tmp/stackwatch-bench-{args.size_mb}M.log")
    make_log(path, args.size_mb * 1024 * 1024)
    try:
        rows = _rows(path, args.runs)
        size = f"{path.stat().st_size / 2**30:.2f} GiB"
        print_table(f"logs ({size} log in the page cache, {args.runs} runs each)", rows)
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
    return 0


def _rows(path: Path, runs: int) -> list[Row]:
    tail = ["tail", "-n", "50", str(path)]
    ours_tail, gnu_tail = interleaved(
        [lambda: last_screen(path), lambda: subprocess.run(tail, capture_output=True, check=False)],
        runs,
    )
    rows = [
        Row(
            "last screen (50 lines), in-process",
            ours_tail,
            gnu_tail if shutil.which("tail") else None,
            "GNU tail -n 50, whole process",
            f"< 20 ms — {'met' if ours_tail.median < 0.020 else 'MISSED'}",
        )
    ]
    rows += [count_row(path, label, pattern, runs) for label, pattern in SEARCHES]
    rows.append(rare_row(path, runs))
    rows.append(first_match_row(path, runs))
    rows.append(rss_row(path))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
