"""Processes poll and `stackwatch status` beside supervisord's own tools, same run.

    .venv/bin/python -m tests.bench.bench_processes [--programs 300] [--runs 9]

Starts a private supervisord with N `sleep` programs (groups of 10), then measures:
- the bare `getAllProcessInfo` call through supervisor's own transport (the reference);
- our poll: the same RPC through our deadline transport, dataclasses, and the table rows;
- the same poll with psutil CPU/memory of every process tree (the full screen poll);
- the screen's `show_view` on a headless app (rows diffed into the DataTable);
- `stackwatch status` as a whole process beside `supervisorctl status`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from console.core.feeds import build_feeds
from console.core.feeds.processes import ProcessesView
from console.core.settings import Settings, SupervisorEndpoint
from console.core.supervisor.poll import Poller, make_clients
from console.tui.widgets.process_rows import build_rows
from tests.bench.common import Row, print_table, timed, timed_command
from tests.support.supervisord import Program, Supervisord

BIN = Path(sys.executable).parent


def start(root: Path, count: int) -> Supervisord:
    programs = [Program(f"p{i:03d}", "sleep 3600") for i in range(count)]
    groups = "".join(
        f"\n[group:g{g:02d}]\nprograms={','.join(p.name for p in programs[g * 10 : g * 10 + 10])}\n"
        for g in range((count + 9) // 10)
    )
    sv = Supervisord(root, programs, groups).start(timeout=120)
    sv.wait_for_state(f"g{(count - 1) // 10:02d}:p{count - 1:03d}", {"RUNNING"}, timeout=120)
    return sv


def screen_show_cost(settings: Settings, view: ProcessesView, runs: int):
    from console.tui.app import make_app

    class Fixed:
        def poll(self, host: str, as_of: float | None = None) -> ProcessesView:
            return view

        def close(self) -> None:
            return None

    result = {}

    async def body() -> None:
        app = make_app(settings, replace(build_feeds(settings), processes=Fixed()))
        async with app.run_test(size=(160, 50)) as pilot:
            await app.switch_mode("processes")
            await pilot.pause(0.2)
            screen = app.screen
            result["first"] = timed(
                lambda: (screen.collapsed.add("x"), screen.show_view(view)), runs
            )
            result["same"] = timed(lambda: screen.show_view(view), runs)

    asyncio.run(body())
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--programs", type=int, default=300)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="svb", dir="/tmp") as tmp:
        sv = start(Path(tmp), args.programs)
        try:
            measure(sv, args)
        finally:
            sv.stop()


def measure(sv: Supervisord, args: argparse.Namespace) -> None:
    n, runs = args.programs, args.runs
    settings = Settings(host="bench", supervisors=(SupervisorEndpoint("local", sv.url),))
    raw = sv.rpc()
    bare = timed(lambda: raw.supervisor.getAllProcessInfo(), runs)
    plain = Poller(make_clients(settings), "bench", resources=False)
    full = Poller(make_clients(settings), "bench", resources=True)
    full.poll()  # primes CPU

    def poll_rows(poller: Poller) -> None:
        build_rows(poller.poll().processes, {}, set())

    ours = timed(lambda: poll_rows(plain), runs)
    with_psutil = timed(lambda: poll_rows(full), runs)
    view = ProcessesView(plain.poll())
    shown = screen_show_cost(settings, view, runs)
    status = timed_command([str(BIN / "stackwatch"), "--supervisor-url", sv.url, "status"], runs)
    ctl = timed_command([str(BIN / "supervisorctl"), "-c", str(sv.conf), "status"], runs)
    print_table(
        f"Processes poll and status, {n} programs (median of {runs}, min–max)",
        [
            Row(
                "poll: RPC + dataclasses + rows",
                ours,
                bare,
                "bare getAllProcessInfo",
                "≤ 1.10× bare call",
            ),
            Row(
                "poll incl. psutil CPU/mem of every tree",
                with_psutil,
                bare,
                "bare getAllProcessInfo",
                "(reported; local work beyond the RPC)",
            ),
            Row(
                "screen show_view, rows rebuilt",
                shown["first"],
                bare,
                "bare getAllProcessInfo",
                "(render side)",
            ),
            Row(
                "screen show_view, nothing changed",
                shown["same"],
                bare,
                "bare getAllProcessInfo",
                "(render side)",
            ),
            Row(
                "`stackwatch status` whole process", status, ctl, "supervisorctl status", "≤ 1.00×"
            ),
        ],
    )


if __name__ == "__main__":
    main()
