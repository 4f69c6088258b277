"""The logs screen at the time cursor: the pane shows the first line at or after that time
on top (found by bisection), and goes back to the tail, following, when live again."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from textual.widgets import Static

from console.core.settings import LogFileSpec, Settings
from console.tui.app import make_app
from console.tui.widgets.log_view import LogView
from tests.support.waits import until

T0 = 1_767_225_600  # 2026-01-01 00:00 UTC
LINES = 100_000


def stamp(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_log_jumps_to_the_cursor_and_back(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with log.open("w") as f:
        for i in range(LINES):
            f.write(f"{stamp(T0 + 2 * i)} INFO job {i} done\n")
            if i % 50 == 0:
                f.write("Traceback (most recent call last):\n")
    settings = Settings(log_files=(LogFileSpec("app", str(log)),), data_dir=str(tmp_path))
    app = make_app(settings)

    async def body() -> None:
        async with app.run_test(size=(120, 30)) as pilot:
            await app.switch_mode("logs")
            view = app.screen.query_one("#pane-1 LogView", LogView)
            last = f"job {LINES - 1} done"
            await until(pilot, lambda: view.lines and last in view.lines[-1].text, "the tail")
            app.set_cursor(T0 + 2 * 31_337 - 1)  # between two lines: the later one
            want = f"{stamp(T0 + 2 * 31_337)} INFO job 31337 done"
            await until(pilot, lambda: view.lines and view.lines[0].text == want, "the jump")
            assert view.scroll_y == 0
            title = app.screen.query_one("#pane-1 .log-title", Static)
            assert "at the time cursor" in str(title.render())
            app.set_cursor(None)
            await until(pilot, lambda: last in view.lines[-1].text, "back to the tail")
            assert view.following

    asyncio.run(body())
