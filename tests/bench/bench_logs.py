"""Benchmark (run apart): the last screen and a regex search of a 1 GiB log, beside GNU tools.

    .venv/bin/python -m tests.bench.bench_logs [--size-mb 1024] [--runs 5]

The log is made once under /tmp and reused. Medians over the runs, with min-max.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path

from console.core.logs.follow import FileFollower
from console.core.logs.search import count_lines
from tests.bench.common import Row, interleaved, print_table, timed

# A rare match, a common one with a literal prefix, and an alternation (Python's re has no
# literal-set prefilter: search.py pre-scans for the literals a match needs).
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


def last_screen(path: Path) -> None:
    follower = FileFollower(str(path))
    batch = follower.start(50)
    assert len(batch.lines) == 50
    follower.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    path = Path(f"/tmp/stackwatch-bench-{args.size_mb}M.log")
    make_log(path, args.size_mb * 1024 * 1024)
    size = f"{path.stat().st_size / 2**30:.2f} GiB"
    tail = ["tail", "-n", "50", str(path)]
    ours_tail, gnu_tail = interleaved(
        [lambda: last_screen(path), lambda: subprocess.run(tail, capture_output=True, check=False)],
        args.runs,
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
    for pattern_text in PATTERNS:
        rows.append(search_row(path, pattern_text, args.runs))
    print_table(f"logs ({size} log in the page cache, {args.runs} runs each)", rows)
    return 0


def search_row(path: Path, pattern_text: str, runs: int) -> Row:
    """Our count of matching lines beside `grep -c -E` (checked equal first)."""
    pattern = re.compile(pattern_text.encode())
    count = count_lines(str(path), pattern)
    what = f"count /{pattern_text}/ ({count:,} lines)"
    if not shutil.which("grep"):
        return Row(what, timed(lambda: count_lines(str(path), pattern), runs), None, "grep", "≤ 1×")
    # grep stops at the first match when its output is /dev/null: capture it instead.
    argv = ["grep", "-c", "-E", pattern_text, str(path)]
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert count == int(out.stdout.strip()), (count, out.stdout)
    ours, grep = interleaved(
        [
            lambda: count_lines(str(path), pattern),
            lambda: subprocess.run(argv, capture_output=True),
        ],
        runs,
    )
    return Row(what, ours, grep, "grep -c -E", "≤ 1×", goal_ratio=1.0)


if __name__ == "__main__":
    raise SystemExit(main())
