"""Cost of leaving the console open, beside reference programs measured in the same run.

Run apart from the tests:  .venv/bin/python tests/bench/bench_console.py [--seconds 60]

Each program runs in its own tmux session of 200x50. While stackwatch runs, this script writes
fresh latest values into the (embedded SQLite) cache every 2 s and the console polls every 2 s.
CPU % of one core and RSS are sampled once a second with psutil (whole process tree); the
figures are medians. First paint = launch until the pane shows the program's first screen.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
GOAL_CPU, GOAL_RSS_MB, GOAL_PAINT_S = 1.0, 60.0, 0.8
MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("minimal static app")
Minimal().run()
"""


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def start(name: str, command: str, env: dict[str, str]) -> tuple[int, float]:
    """Start `command` in a detached 200x50 tmux session; (pane pid, start time)."""
    exports = " ".join(f"{k}={v!r}" for k, v in env.items())
    began = time.monotonic()
    tmux("new-session", "-d", "-s", name, "-x", "200", "-y", "50", f"env {exports} {command}")
    return int(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip()), began


def first_paint(name: str, marker: str, began: float, limit: float = 15.0) -> float | None:
    while time.monotonic() - began < limit:
        if marker in tmux("capture-pane", "-p", "-t", name):
            return time.monotonic() - began
        time.sleep(0.01)
    return None


def sample(pid: int, seconds: int) -> tuple[float, float]:
    """Median CPU % (of one core) and median RSS in MB of the process tree."""
    root = psutil.Process(pid)
    cpu, rss = [], []
    procs = {p.pid: p for p in [root, *root.children(recursive=True)]}
    for p in procs.values():
        p.cpu_percent(None)
    for _ in range(seconds):
        time.sleep(1)
        total_cpu = total_rss = 0.0
        for p in [root, *root.children(recursive=True)]:
            p = procs.setdefault(p.pid, p)
            try:
                total_cpu += p.cpu_percent(None)
                total_rss += p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        cpu.append(total_cpu)
        rss.append(total_rss / 2**20)
    return statistics.median(cpu), statistics.median(rss)


def feed_cache(data_dir: str, stop: threading.Event) -> None:
    """Fresh latest values every 2 s, as the worker would write them."""
    sys.path.insert(0, str(ROOT))
    from console.core.cache import open_cache
    from console.core.metrics import (
        PerformanceSnapshot,
        QueueDepth,
        QueueSnapshot,
        SystemHealth,
        to_payload,
    )
    from console.core.settings import Settings

    cache = open_cache(Settings(host="bench", data_dir=data_dir))
    i = 0
    while not stop.is_set():
        now, i = time.time(), i + 1
        cache.put_latest(
            "health",
            "bench",
            to_payload(
                SystemHealth(
                    "bench",
                    now,
                    cpu_percent=20 + i % 30,
                    mem_percent=50 + i % 10,
                    load1=0.5,
                    cpu_count=4,
                    swap_percent=1.0,
                    net_rx_bps=1000.0 * i,
                    net_tx_bps=500.0,
                )
            ),
        )
        cache.put_latest(
            "queue",
            "bench",
            to_payload(
                QueueSnapshot(
                    "bench", now, (QueueDepth("default", "redis-list", pending=i % 17, failed=0),)
                )
            ),
        )
        cache.put_latest(
            "performance",
            "bench",
            to_payload(
                PerformanceSnapshot(
                    "bench", now, rps_now=float(i % 40), rps_avg=10.0, latency_p95_ms=120.0
                )
            ),
        )
        cache.beat("bench", {})
        stop.wait(2.0)
    cache.close()


def measure(name: str, command: str, marker: str, seconds: int, env: dict[str, str]) -> dict:
    pid, began = start(name, command, env)
    try:
        paint = first_paint(name, marker, began)
        cpu, rss = sample(pid, seconds)
    finally:
        tmux("kill-session", "-t", name)
    return {"paint": paint, "cpu": cpu, "rss": rss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if not shutil.which("tmux"):
        print("tmux is missing: cannot measure", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="swbench-"))
    (work / "minimal.py").write_text(MINIMAL_APP)
    env = {
        "TERM": "xterm-256color",
        "STACKWATCH_DATA_DIR": str(work),
        "STACKWATCH_HOST": "bench",
        "STACKWATCH_REFRESH_DASHBOARD": "2",
        "HOME": os.environ.get("HOME", "/tmp"),
        "PATH": os.environ["PATH"],
    }
    subprocess.run(
        [sys.executable, "-m", "console", "db", "upgrade"],
        env={**os.environ, **env},
        capture_output=True,
        check=False,
        cwd=work,
    )
    stop = threading.Event()
    feeder = threading.Thread(target=feed_cache, args=(str(work), stop), daemon=True)
    feeder.start()
    rows = {}
    python = sys.executable
    rows["stackwatch"] = measure(
        "sw-bench", f"{python} -m console", "Performance", args.seconds, env
    )
    rows["minimal Textual app"] = measure(
        "sw-minimal", f"{python} {work / 'minimal.py'}", "minimal static app", args.seconds, env
    )
    for tool, marker in (("htop", "Load average"), ("btop", "cpu"), ("glances", "CPU")):
        if shutil.which(tool):
            rows[tool] = measure(f"sw-{tool}", tool, marker, args.seconds, env)
        else:
            rows[tool] = None
    stop.set()
    report(rows, args.seconds)
    return 0


def report(rows: dict, seconds: int) -> None:
    print(f"200x50 tmux, {seconds} s each, medians of 1 s samples (CPU % of one core)")
    print(f"{'program':<22}{'CPU %':>8}{'RSS MB':>9}{'first paint s':>15}")
    for name, row in rows.items():
        if row is None:
            print(f"{name:<22}  (not installed: not measured)")
            continue
        paint = "-" if row["paint"] is None else f"{row['paint']:.2f}"
        print(f"{name:<22}{row['cpu']:>8.2f}{row['rss']:>9.1f}{paint:>15}")
    ours, ref = rows["stackwatch"], rows["minimal Textual app"]
    if ours["paint"] and ref["paint"]:
        print(f"first paint vs minimal Textual app: x{ours['paint'] / ref['paint']:.2f}")
    print(
        f"goals: CPU <= {GOAL_CPU} % ({'met' if ours['cpu'] <= GOAL_CPU else 'NOT met'}), "
        f"RSS <= {GOAL_RSS_MB:.0f} MB ({'met' if ours['rss'] <= GOAL_RSS_MB else 'NOT met'}), "
        f"first paint < {GOAL_PAINT_S} s "
        f"({'met' if ours['paint'] and ours['paint'] < GOAL_PAINT_S else 'NOT met'})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
