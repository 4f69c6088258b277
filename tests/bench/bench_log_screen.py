"""CPU of the console's Logs screen following a chatty program, beside a reference app.

    .venv/bin/python -m tests.bench.bench_log_screen [--seconds 30] [--rates 5,50]

The console runs in a detached tmux session of 200x50 (as bench_console), opens the Logs
screen (key 4) on a `[[log]]` file and follows it while this script appends lines at each rate
in turn; CPU is the process tree's cumulative cpu_times over the window, as % of one core
(10 s slices min–max). References in the same run: glances and htop when installed (each one
on its own screen, nothing to follow), else the minimal Textual app. Files go under a temporary
directory removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.bench.bench_console import MINIMAL_APP, measure, start, tmux, usage, wait_for
from tests.bench.console_feed import append_log, prepare

SESSION = f"sw-logscreen-{os.getpid()}"


def follow(command: str, env: dict[str, str], rates: list[float], seconds: int) -> dict:
    """One console on the Logs screen; one window per rate, the writer changed between."""
    log = Path(env["STACKWATCH_DATA_DIR"]) / "app.log"
    out = {}
    pid, began = start(SESSION, command, env)
    try:
        wait_for(SESSION, "Performance", began)
        tmux("send-keys", "-t", SESSION, "4")
        wait_for(SESSION, "earlier line", time.monotonic())
        for rate in rates:
            stop = threading.Event()
            writer = threading.Thread(target=append_log, args=(log, stop, rate), daemon=True)
            writer.start()
            time.sleep(3)
            shown = tmux("capture-pane", "-p", "-t", SESSION)
            out[rate] = usage(pid, seconds)
            if tmux("capture-pane", "-p", "-t", SESSION) == shown:
                print(f"{rate} lines/s: the screen did not follow", file=sys.stderr)
            stop.set()
            writer.join()
    finally:
        tmux("kill-session", "-t", SESSION)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rates", default="5,50", help="lines per second, comma-separated")
    parser.add_argument("--glances", help="glances executable when not on PATH")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        print("tmux is missing: cannot measure", file=sys.stderr)
        return 2
    rates = [float(r) for r in args.rates.split(",")]
    work = Path(tempfile.mkdtemp(prefix="swlogscreen-"))
    try:
        env = prepare(work)
        env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
        ours = follow(f"{sys.executable} -m console", env, rates, args.seconds)
        (work / "minimal.py").write_text(MINIMAL_APP)
        refs = {"minimal Textual app": (f"{sys.executable} {work / 'minimal.py'}", "minimal")}
        for tool, marker in (("glances", "CPU"), ("htop", "Load average")):
            path = (args.glances if tool == "glances" else None) or shutil.which(tool)
            if path is None:
                print(f"{tool}: not installed here, not measured", file=sys.stderr)
            else:
                refs[tool] = (path, marker)
        measured = {
            name: measure(f"{SESSION}-ref", cmd, marker, args.seconds, env)
            for name, (cmd, marker) in refs.items()
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Logs screen following, tmux 200x50, {args.seconds} s windows, % of one core")
    for rate, u in ours.items():
        print(
            f"  console, logs following {rate:g} lines/s: {u.cpu_whole:.2f} % "
            f"({u.cpu.low:.2f}–{u.cpu.high:.2f})"
        )
    for name, u in measured.items():
        print(f"  {name}: {u.cpu_whole:.2f} % ({u.cpu.low:.2f}–{u.cpu.high:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
