"""Event-to-screen latency: from a state change in supervisord to the Processes screen showing it.

    .venv/bin/python -m tests.bench.bench_events [--changes 50] [--polls-only 20]

A private supervisord runs one `sleep` program and the shipped event listener, writing to a
private redis-server; the real console (headless Textual app, real processes feed) is on the
Processes screen. Each change is a stop or a start through XML-RPC (wait=False) at a random
moment; the clock runs from just before the call until the program's State cell shows the new
state. The same is measured without the listener (the screen then learns from its polls).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

from console.core.settings import Settings, SupervisorEndpoint
from console.core.store.engine import make_engine, upgrade
from tests.bench.common import Row, print_table, private_redis, summarise
from tests.events.helpers import HOST, LISTENER, listener_section
from tests.support.supervisord import Program, Supervisord

FLIP = Program("flip", "sleep 3600", {"stopsignal": "KILL", "startsecs": "0"})
ROW = "default/flip:flip"


def start_stack(root: Path, redis_url: str, listener: bool) -> Supervisord:
    extra = ""
    if listener:
        env = {"STACKWATCH_HOST": HOST, "STACKWATCH_REDIS_URL": redis_url}
        extra = listener_section(root, env)
    sv = Supervisord(root, [FLIP], extra).start()
    if listener:
        sv.wait_for_state(f"{LISTENER}:{LISTENER}", {"RUNNING"}, timeout=30)
    sv.wait_for_state("flip:flip", {"RUNNING"})
    return sv


async def _state(pilot) -> str:
    from console.tui.widgets.process_table import ProcessTable

    table = pilot.app.screen.query_one(ProcessTable)
    try:
        return table.get_cell(ROW, "State").plain
    except Exception:  # the row is not there yet
        return ""


async def _measure(settings: Settings, sv: Supervisord, changes: int) -> list[float]:
    from console.tui.app import make_app

    app = make_app(settings)
    latencies: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.app.switch_mode("processes")
        while "RUNNING" not in await _state(pilot):
            await asyncio.sleep(0.01)
        await asyncio.sleep(1.0)  # the follower has read the stream once
        rpc = sv.rpc()
        for n in range(changes):
            target, call = (
                ("STOPPED", rpc.supervisor.stopProcess)
                if n % 2 == 0
                else (
                    "RUNNING",
                    rpc.supervisor.startProcess,
                )
            )
            await asyncio.sleep(random.uniform(0.2, 1.2))  # any phase of the poll timer
            start = time.perf_counter()
            await asyncio.to_thread(call, "flip:flip", False)
            while target not in await _state(pilot):
                await asyncio.sleep(0.002)
            latencies.append(time.perf_counter() - start)
    return latencies


def measure(redis_url: str, listener: bool, changes: int) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="sw-ev-") as tmp:
        root = Path(tmp)
        sv = start_stack(root, redis_url, listener)
        try:
            database = f"sqlite:///{root / 'sw.db'}"
            upgrade(make_engine(database))
            settings = Settings(
                host=HOST,
                redis_url=redis_url,
                database_url=database,
                data_dir=str(root / "data"),
                supervisors=(SupervisorEndpoint("default", sv.url),),
            )
            return asyncio.run(_measure(settings, sv, changes))
        finally:
            sv.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--polls-only", type=int, default=20, help="changes without listener")
    args = parser.parse_args(argv)
    with private_redis() as redis_url:
        if redis_url is None:
            print("redis-server is not installed: skipped")
            return 0
        events = summarise(measure(redis_url, True, args.changes))
        polls = summarise(measure(redis_url, False, args.polls_only)) if args.polls_only else None
    rows = [
        Row(
            f"with the event listener ({events.runs} changes)",
            events,
            polls,
            "polls only",
            "within 1 s of supervisord",
        ),
    ]
    print_table("Event-to-screen latency: median (min–max)", rows)
    print(f"\nmax with the listener: {events.high * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
