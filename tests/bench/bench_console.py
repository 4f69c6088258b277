"""Cost of leaving the console open, beside reference programs measured in the same run.

Run apart from the tests:  .venv/bin/python tests/bench/bench_console.py [--seconds 60]

Each program runs in its own detached tmux session of 200x50 (TERM=xterm-256color).
- CPU: the process tree's cumulative cpu_times (user + system) over the whole window, as % of
  one core; the window is also cut in 10 s slices for the min–max (1 s psutil samples would
  quantise to 1 % and miss short bursts).
- RSS: sampled every second over the window; median and max.
- The console runs twice: idle (an hour of history and latest values in place, nothing
  changing) and live (this script writes fresh latest values into the embedded cache every
  2 s, and a history row each minute, as the worker would). The console polls every 2 s.
- After the live window it visits the queues screen, then the logs screen following a file
  that gets a line every 0.2 s (enough lines to fill the 5,000-line ring): RSS and CPU there.
- First paint: launch until the pane shows the program's first screen, over `--paint-runs`
  launches alternating with a minimal Textual app.
- References: a minimal Textual app, and htop, btop and glances when installed (`--glances`
  points at a glances outside PATH, e.g. in its own venv); a missing tool is said, not fatal.
`--tree DIR` runs the console from another checkout (same venv) to compare two versions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.common import Row, Stats, print_table, summarise  # noqa: E402
from tests.bench.console_feed import append_log, feed, prepare, put_latest, seed_history  # noqa: E402

SIZE = ("200", "50")
PAINT_PREFIX = f"sw-paint-{os.getpid()}"  # own tmux names: benches may run side by side
SLICE_S = 10
GOAL_CPU, GOAL_RSS_MB, GOAL_PAINT_S, GOAL_PAINT_RATIO = 1.0, 60.0, 0.8, 1.5
CPU_GOAL = f"≤ {GOAL_CPU} % and ≤ 0.5× glances"
PAINT_GOAL = f"< {GOAL_PAINT_S} s and ≤ {GOAL_PAINT_RATIO}× minimal"
MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("minimal static app")
Minimal().run()
"""


@dataclass
class Usage:
    """What one program cost over a window."""

    cpu: Stats  # % of one core per slice; median (min–max)
    cpu_whole: float  # % of one core over the whole window
    rss: Stats  # MB, 1 s samples
    rss_max: float = field(default=0.0)


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def start(name: str, command: str, env: dict[str, str]) -> tuple[int, float]:
    """Start `command` in a detached tmux session; (pane pid, start time)."""
    exports = " ".join(f"{k}={v!r}" for k, v in env.items())
    began = time.monotonic()
    tmux(
        "new-session",
        "-d",
        "-s",
        name,
        "-x",
        SIZE[0],
        "-y",
        SIZE[1],
        f"exec env {exports} {command}",
    )
    tmux("set-option", "-t", name, "remain-on-exit", "on")
    return int(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip()), began


def wait_for(name: str, marker: str, began: float, limit: float = 20.0) -> float | None:
    """Seconds from `began` until `marker` shows in the pane (None: it never did)."""
    while time.monotonic() - began < limit:
        if marker in tmux("capture-pane", "-p", "-t", name):
            return time.monotonic() - began
        time.sleep(0.01)
    return None


def _tree(root: psutil.Process, known: dict[int, psutil.Process]) -> list[psutil.Process]:
    try:
        found = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []
    return [known.setdefault(p.pid, p) for p in found]


def _cpu_seconds(procs: list[psutil.Process], seen: dict[int, float]) -> float:
    """User + system seconds of the tree; a process that has exited keeps its last figure."""
    for p in procs:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        seen[p.pid] = t.user + t.system
    return sum(seen.values())


def _rss_mb(procs: list[psutil.Process]) -> float:
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def usage(pid: int, seconds: int) -> Usage:
    """CPU from cumulative cpu_times over the window (and per slice); RSS every second."""
    root, known, seen = psutil.Process(pid), {}, {}
    began = time.monotonic()
    cpu_start = cpu_mark = _cpu_seconds(_tree(root, known), seen)
    mark, slices, rss = began, [], []
    for tick in range(1, seconds + 1):
        time.sleep(max(0.0, began + tick - time.monotonic()))
        procs = _tree(root, known)
        rss.append(_rss_mb(procs))
        if tick % SLICE_S == 0 or tick == seconds:
            now, cpu = time.monotonic(), _cpu_seconds(procs, seen)
            slices.append(100 * (cpu - cpu_mark) / (now - mark))
            mark, cpu_mark = now, cpu
    whole = 100 * (cpu_mark - cpu_start) / (mark - began)
    return Usage(summarise(slices), whole, summarise(rss), max(rss))


# -- measurements --------------------------------------------------------------------------


def first_paints(console: str, minimal: str, env: dict[str, str], runs: int):
    """Launch-to-first-screen of the console and the minimal app, alternating."""
    ours, ref = [], []
    for i in range(runs):
        for command, marker, out in (
            (console, "Performance", ours),
            (minimal, "minimal static app", ref),
        ):
            name = f"{PAINT_PREFIX}-{i}"
            _, began = start(name, command, env)
            took = wait_for(name, marker, began)
            tmux("kill-session", "-t", name)
            if took is not None:
                out.append(took)
    return (summarise(ours) if ours else None), (summarise(ref) if ref else None)


def measure(name: str, command: str, marker: str, seconds: int, env: dict[str, str]) -> Usage:
    pid, began = start(name, command, env)
    try:
        wait_for(name, marker, began)
        time.sleep(2)  # let start-up settle: the window measures steady state
        return usage(pid, seconds)
    finally:
        tmux("kill-session", "-t", name)


def measure_console(command: str, env: dict[str, str], seconds: int, settings) -> dict:
    """Idle, then live on the dashboard, then the queues and logs screens in the same process."""
    from console.core.cache import open_cache

    cache = open_cache(settings)
    put_latest(cache, 0)
    cache.close()
    results = {"idle": measure("sw-idle", command, "Performance", seconds, env)}
    stop = threading.Event()
    threads = [
        threading.Thread(target=feed, args=(settings, stop), daemon=True),
        threading.Thread(
            target=append_log,
            args=(Path(env["STACKWATCH_DATA_DIR"]) / "app.log", stop),
            daemon=True,
        ),
    ]
    for t in threads:
        t.start()
    pid, began = start("sw-live", command, env)
    try:
        wait_for("sw-live", "Performance", began)
        time.sleep(2)
        results["live"] = usage(pid, seconds)
        tmux("send-keys", "-t", "sw-live", "3")
        time.sleep(3)
        results["queues"] = usage(pid, max(10, seconds // 3))
        tmux("send-keys", "-t", "sw-live", "4")
        wait_for("sw-live", "processed job", time.monotonic())
        time.sleep(3)
        shown = tmux("capture-pane", "-p", "-t", "sw-live")
        results["logs"] = usage(pid, max(10, seconds // 3))
        if tmux("capture-pane", "-p", "-t", "sw-live") == shown:
            print("the logs screen did not follow: its figures mean nothing", file=sys.stderr)
    except psutil.NoSuchProcess:
        print(tmux("capture-pane", "-p", "-t", "sw-live"), file=sys.stderr)
        raise
    finally:
        tmux("kill-session", "-t", "sw-live")
        stop.set()
    return results


def references(seconds: int, env: dict[str, str], work: Path, glances: str | None) -> dict:
    (work / "minimal.py").write_text(MINIMAL_APP)
    out = {
        "minimal Textual app": measure(
            "sw-minimal",
            f"{sys.executable} {work / 'minimal.py'}",
            "minimal static app",
            seconds,
            env,
        )
    }
    tools = {"htop": (shutil.which("htop"), "Load average"), "btop": (shutil.which("btop"), "cpu")}
    tools["glances"] = (glances or shutil.which("glances"), "CPU")
    for tool, (path, marker) in tools.items():
        if path is None:
            print(f"{tool}: not installed here, not measured", file=sys.stderr)
            out[tool] = None
            continue
        out[tool] = measure(f"sw-{tool}", path, marker, seconds, env)
    return out


# -- report ---------------------------------------------------------------------------------


def _mb(u: Usage | None) -> Stats | None:
    return None if u is None else u.rss


def _max_mb(u: Usage | None) -> Stats | None:
    return None if u is None else Stats(u.rss_max, u.rss_max, u.rss_max, 1)


def _cpu(u: Usage | None) -> Stats | None:
    return None if u is None else Stats(u.cpu_whole, u.cpu.low, u.cpu.high, u.cpu.runs)


MINIMAL = "minimal Textual app"
DASHBOARD = "dashboard, same process"


def report(console: dict, refs: dict, paint, seconds: int) -> None:
    live, idle = console["live"], console["idle"]
    rss_goal = f"≤ {GOAL_RSS_MB:.0f} MB"
    refs = {**refs, DASHBOARD: live}
    spec = [  # what, figure, ours, reference, goal, unit
        ("CPU, dashboard, data arriving", _cpu, live, "glances", CPU_GOAL, "%"),
        ("CPU, dashboard, data arriving", _cpu, live, "htop", "(reference)", "%"),
        ("CPU, dashboard, data arriving", _cpu, live, "btop", "(reference)", "%"),
        ("CPU, dashboard, idle (no change)", _cpu, idle, MINIMAL, f"≤ {GOAL_CPU} %", "%"),
        ("RSS median, data arriving", _mb, live, "glances", rss_goal, "MB"),
        ("RSS max, data arriving", _max_mb, live, MINIMAL, rss_goal, "MB"),
        ("CPU, queues screen", _cpu, console["queues"], DASHBOARD, "(figure)", "%"),
        ("RSS max, queues screen visited", _max_mb, console["queues"], DASHBOARD, "-", "MB"),
        ("CPU, logs screen following 5 lines/s", _cpu, console["logs"], DASHBOARD, "-", "%"),
        ("RSS max, logs visited (5,000-line ring)", _max_mb, console["logs"], DASHBOARD, "-", "MB"),
    ]
    rows = [Row(w, f(ours), f(refs[ref]), ref, goal, unit) for w, f, ours, ref, goal, unit in spec]
    rows.append(Row("start to first paint", *paint, MINIMAL, PAINT_GOAL, "s", GOAL_PAINT_RATIO))
    print_table(
        f"Console cost, tmux {SIZE[0]}x{SIZE[1]}, {seconds} s windows; CPU = % of one core "
        f"over the whole window ({SLICE_S} s slices min–max), RSS MB of 1 s samples",
        rows,
    )
    verdicts(live, refs, paint)


def verdicts(live: Usage, refs: dict, paint) -> None:
    glances = refs["glances"]
    cpu_ok = live.cpu_whole <= GOAL_CPU and (
        glances is None or live.cpu_whole <= 0.5 * glances.cpu_whole
    )
    rss_ok = live.rss.median <= GOAL_RSS_MB and live.rss_max <= GOAL_RSS_MB
    ours, ref = paint
    paint_ok = ours is not None and ours.median < GOAL_PAINT_S
    if ours is not None and ref is not None:
        paint_ok = paint_ok and ours.median <= GOAL_PAINT_RATIO * ref.median
    print()
    print(
        f"goal CPU ≤ {GOAL_CPU} % (≤ ½ glances'): {'met' if cpu_ok else 'NOT met'}"
        + ("" if glances else " (glances not measured)")
    )
    print(f"goal RSS ≤ {GOAL_RSS_MB:.0f} MB (median and max): {'met' if rss_ok else 'NOT met'}")
    print(
        f"goal first paint < {GOAL_PAINT_S} s and ≤ {GOAL_PAINT_RATIO}× minimal: "
        f"{'met' if paint_ok else 'NOT met'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--paint-runs", type=int, default=7)
    parser.add_argument("--glances", help="glances executable when not on PATH")
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout to run the console from")
    parser.add_argument("--no-references", action="store_true", help="measure the console only")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        print("tmux is missing: cannot measure", file=sys.stderr)
        return 2
    from console.core.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="swbench-"))
    env = prepare(work)
    settings = Settings(host="bench", data_dir=str(work))
    seed_history(settings)
    tree = args.tree.resolve()
    env["PYTHONPATH"] = str(tree)
    console = f"{sys.executable} -m console"
    minimal = f"{sys.executable} {work / 'minimal.py'}"
    (work / "minimal.py").write_text(MINIMAL_APP)
    os.chdir(tree)
    paint = first_paints(console, minimal, env, args.paint_runs)
    results = measure_console(console, env, args.seconds, settings)
    none = dict.fromkeys(("minimal Textual app", "htop", "btop", "glances"))
    refs = none if args.no_references else references(args.seconds, env, work, args.glances)
    print(f"console from {tree}")
    report(results, refs, paint, args.seconds)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
