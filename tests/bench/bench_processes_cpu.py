"""CPU of the Processes screen and of supervisord beside `watch supervisorctl status`, same run.

    .venv/bin/python -m tests.bench.bench_processes_cpu [--programs 300] [--seconds 15]

One private supervisord with N `sleep` programs (groups of 10). In a detached tmux pane of
200x50, first the console on its Processes screen (refresh 1.5 s, no event listener: the
case that polls), then `watch -n1.5 supervisorctl status`; each for the same window after 3 s
of settling. CPU = user + system seconds (psutil cpu_times deltas) over the window, as % of
one core: the program's process tree, and supervisord alone (its `sleep` children cost
nothing). `--programs 30,300,1000` runs each count in turn; `--tree DIR` runs the console
from another checkout (same venv) to compare two versions. Nothing is left behind.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import psutil

from tests.bench.bench_console import start, tmux, wait_for
from tests.bench.bench_processes import start as start_supervisord

NAME = f"sw-procs-{os.getpid()}"  # own tmux names: benches may run side by side
REFRESH = "1.5"


def tree_cpu(root: psutil.Process) -> float:
    """Seconds of the tree: the root, its reaped descendants (`watch`'s supervisorctl runs
    live 0.3 s each) and the live ones; a child live at one reading and reaped by the next
    moves from the live sum to children_*, so deltas count it once."""
    t = root.cpu_times()
    total = t.user + t.system + t.children_user + t.children_system
    for child in root.children(recursive=True):
        try:
            c = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += c.user + c.system
    return total


def cpu_over(pids: list[int], seconds: float) -> list[float]:
    """% of one core of each pid's process tree over the same window."""
    roots = [psutil.Process(p) for p in pids]
    first = [tree_cpu(r) for r in roots]
    began = time.monotonic()
    time.sleep(seconds)
    took = time.monotonic() - began
    last = [tree_cpu(r) for r in roots]
    return [100 * (b - a) / took for a, b in zip(first, last, strict=True)]


def run_one(command: str, env: dict, marker: str, keys: str, sv_pid: int, seconds: float):
    pid, began = start(NAME, command, env)
    try:
        if keys:
            wait_for(NAME, "Performance", began, 30)
            tmux("send-keys", "-t", NAME, keys)
        if wait_for(NAME, marker, time.monotonic(), 60) is None:
            print(tmux("capture-pane", "-p", "-t", NAME), file=sys.stderr)
            raise SystemExit(f"{marker!r} never showed")
        time.sleep(3)
        cpu = cpu_over([pid, sv_pid], seconds)
        if keys:  # the status line: the screen was live, not showing an error
            print("  " + tmux("capture-pane", "-p", "-t", NAME).splitlines()[1].strip()[:96])
        return cpu
    finally:
        tmux("kill-session", "-t", NAME)


def measure(count: int, seconds: float, work: Path, tree: Path | None) -> None:
    sv = start_supervisord(work / f"sv{count}", count)
    try:
        sv_pid = sv.process.pid  # supervisord alone: its sleep children cost nothing

        env = {
            "TERM": "xterm-256color",
            "STACKWATCH_DATA_DIR": str(work),
            "STACKWATCH_HOST": "bench",
            "STACKWATCH_SUPERVISOR_URL": sv.url,
            "STACKWATCH_REFRESH_PROCESSES": REFRESH,
            "HOME": str(work),
            "PATH": os.environ["PATH"],
        }
        if tree is not None:  # `-m` puts the cwd first on sys.path: main() moved there
            env["PYTHONPATH"] = str(tree.resolve())
        console = run_one(f"{sys.executable} -m console", env, "p000", "2", sv_pid, seconds)
        ctl = str(Path(sys.executable).parent / "supervisorctl")
        watch = run_one(
            f"watch -n{REFRESH} {ctl} -c {sv.conf} status", env, "p000", "", sv_pid, seconds
        )
    finally:
        sv.stop()
    print(
        f"{count:>5} programs | console {console[0]:5.1f} % vs watch {watch[0]:5.1f} % "
        f"({console[0] / max(watch[0], 0.01):.2f}×) | supervisord {console[1]:5.1f} % vs "
        f"{watch[1]:5.1f} % ({console[1] / max(watch[1], 0.01):.2f}×)",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", default="300", help="a count, or counts like 30,300,1000")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--tree", type=Path, help="checkout to run the console from (before/after)")
    args = parser.parse_args()
    counts = [int(c) for c in args.programs.split(",")]
    if args.tree is not None:
        os.chdir(args.tree)
    print(
        f"load before: {os.getloadavg()[0]:.2f} (1 min), window {args.seconds:.0f} s, "
        f"refresh {REFRESH} s; goal at 1000: console ≤ 1× and supervisord ≤ 1× watch's"
    )
    with tempfile.TemporaryDirectory(prefix="swprocs-", dir="/tmp") as tmp:
        work = Path(tmp)
        for count in counts:
            measure(count, args.seconds, work, args.tree)
    print(f"load after: {os.getloadavg()[0]:.2f} (1 min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
