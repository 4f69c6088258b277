"""Benchmark (run apart): the last screen and a regex search of a 1 GiB log, beside GNU tools.

    .venv/bin/python tests/bench/bench_logs.py [--size-mb 1024] [--runs 5]

The log is made once under /tmp and reused. Medians over the runs, with min-max.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import time
from pathlib import Path

from console.core.logs.follow import FileFollower
from console.core.logs.search import count_lines

# A rare match, a common one with a literal prefix, and an alternation (Python's re has no
# literal-set prefilter, so the last is its worst case).
PATTERNS = [r"job [0-9]+ finished in 99[0-9] ms", r"ERROR.*queue=default", r"ERROR|CRITICAL"]
LEVELS = ["INFO"] * 17 + ["WARNING", "DEBUG", "ERROR"]


def make_log(path: Path, size: int) -> None:
    if path.exists() and path.stat().st_size >= size:
        return
    block = "".join(
        f"2024-05-01 10:{i // 60 % 60:02d}:{i % 60:02d},{i % 1000:03d} {LEVELS[i % len(LEVELS)]} "
        f"app.worker: job {i} finished in {i % 997} ms queue=default\n"
        for i in range(20000)
    ).encode()
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as handle:
        written = 0
        while written < size:
            handle.write(block)
            written += len(block)
    tmp.rename(path)


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def last_screen(path: Path) -> None:
    follower = FileFollower(str(path))
    batch = follower.start(50)
    assert len(batch.lines) == 50
    follower.close()


def row(name: str, times: list[float], unit: float, label: str) -> str:
    med = statistics.median(times)
    spread = f"{min(times) * unit:.2f}-{max(times) * unit:.2f}"
    return f"{name:<44} {med * unit:>9.2f} {spread:^19} {label}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = Path(f"/tmp/stackwatch-bench-{args.size_mb}M.log")
    make_log(path, args.size_mb * 1024 * 1024)

    ours_tail = timed(lambda: last_screen(path), args.runs)
    gnu_tail = timed(
        lambda: subprocess.run(["tail", "-n", "50", str(path)], check=True, capture_output=True),
        args.runs,
    )
    grep_cmd = ["grep", "-c", "-E"]
    # grep stops at the first match when its output is /dev/null: capture it instead.
    searches = []
    for pattern_text in PATTERNS:
        pattern = re.compile(pattern_text.encode())
        ours_count = count_lines(str(path), pattern)
        out = subprocess.run([*grep_cmd, pattern_text, str(path)], capture_output=True, text=True)
        assert ours_count == int(out.stdout.strip()), (ours_count, out.stdout)
        ours = timed(lambda p=pattern: count_lines(str(path), p), args.runs)
        grep = timed(
            lambda t=pattern_text: subprocess.run(
                [*grep_cmd, t, str(path)], capture_output=True, check=False
            ),
            args.runs,
        )
        searches.append((pattern_text, ours_count, ours, grep))

    print(f"log: {path} ({path.stat().st_size / 2**30:.2f} GiB), {args.runs} runs each")
    print(f"{'measure':<44} {'median':>9} {'min-max':^19} unit")
    print(row("last screen (50 lines), in-process, ours", ours_tail, 1e3, "ms"))
    print(row("tail -n 50 (GNU, whole process)", gnu_tail, 1e3, "ms"))
    ratio = statistics.median(ours_tail) / statistics.median(gnu_tail)
    met = "met" if statistics.median(ours_tail) < 0.020 else "MISSED"
    print(f"  -> goal < 20 ms: {met}; ratio to GNU tail {ratio:.2f}")
    for pattern_text, count, ours, grep in searches:
        print(f"search /{pattern_text}/ ({count} lines)")
        print(row("  ours (re over mmap, bytes)", ours, 1, "s"))
        print(row("  grep -c -E", grep, 1, "s"))
        ratio = statistics.median(ours) / statistics.median(grep)
        print(f"  -> ratio to grep {ratio:.2f}, goal <= 1.00: {'met' if ratio <= 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
