"""At 1000 programs only the rows on screen are redrawn each poll; a row that changed while
off screen shows its new state once scrolled to, and the cursor stays where it was."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from console.core.feeds import build_feeds
from console.core.feeds.processes import ProcessesView
from console.core.settings import Settings, SupervisorEndpoint
from console.core.supervisor.models import EndpointStatus, ProcessesSnapshot, ProcessInfo
from console.tui.app import make_app
from console.tui.widgets.process_table import ProcessTable
from tests.support.waits import until

NOW = int(time.time())


def _snapshot(stopped: str = "") -> ProcessesSnapshot:
    def one(i: int) -> ProcessInfo:
        name = f"p{i:03d}"
        if name == stopped:
            return ProcessInfo("local", f"g{i // 10:02d}", name, 0, "STOPPED", stop=NOW, now=NOW)
        return ProcessInfo(
            "local", f"g{i // 10:02d}", name, 20, "RUNNING", pid=1000 + i, start=NOW - 100, now=NOW
        )

    status = EndpointStatus("local", "http://x", "ok", state="RUNNING")
    return ProcessesSnapshot("test", float(NOW), tuple(one(i) for i in range(300)), (status,))


class Swappable:
    def __init__(self) -> None:
        self.view = ProcessesView(_snapshot())

    def poll(self, host: str, as_of: float | None = None) -> ProcessesView:
        return self.view

    def close(self) -> None:
        return None


def _drawn_state(table: ProcessTable, key: str) -> str:
    return str(table.get_row(key)[1])


def test_a_row_changed_off_screen_shows_its_state_when_scrolled_to(tmp_path) -> None:
    settings = Settings(
        host="test",
        supervisors=(SupervisorEndpoint("local", "http://127.0.0.1:1"),),
        data_dir=str(tmp_path),
        refresh_processes=0.2,
    )
    feed = Swappable()
    app = make_app(settings, replace(build_feeds(settings), processes=feed))

    async def body() -> None:
        async with app.run_test(size=(120, 30)) as pilot:
            await app.switch_mode("processes")
            table = app.screen.query_one(ProcessTable)
            await until(pilot, lambda: len(table.rows_shown) == 330, "rows shown")
            far, near = "local/g29:p299", "local/g00:p001"
            feed.view = ProcessesView(_snapshot("p299"))
            await until(pilot, lambda: table.rows_shown[-1].cells[1] == "STOPPED", "new rows")
            feed.view = ProcessesView(_snapshot("p001"))  # back to running far off screen
            await until(pilot, lambda: _drawn_state(table, near) == "STOPPED", "near row drawn")
            # the far row's drawn cells may lag; what the user sees after scrolling may not
            table.move_cursor(row=len(table.rows_shown) - 1, animate=False)
            await until(pilot, lambda: _drawn_state(table, far) == "RUNNING", "far row redrawn")
            assert table.current_row().key == far

    asyncio.run(body())
