"""Snapshots of the processes screen from fixed data, at 80x24, 100x30 and 200x50; hostile names."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from console.core.feeds.processes import ProcessesView
from console.core.settings import Settings, SupervisorEndpoint
from console.core.supervisor.models import EndpointStatus, ProcessesSnapshot, ProcessInfo
from console.tui.app import make_app
from console.tui.widgets.process_table import ProcessTable
from tests.tui import dash_data

NOW = 1_700_000_000
HOSTILE = "[bold]evil[/bold] \x1b]0;pwned\x07[@click=app.quit]x[/]"


def _info(group: str, name: str, state: str, **kw) -> ProcessInfo:
    codes = {"RUNNING": 20, "STOPPED": 0, "FATAL": 200, "BACKOFF": 30, "EXITED": 100}
    raw = {"group": group, "name": name, "statename": state, "state": codes[state], "now": NOW}
    raw.update(kw)
    return ProcessInfo.from_rpc("local", raw)


def fixed_view() -> ProcessesView:
    processes = [
        _info("web", "web", "RUNNING", pid=4242, start=NOW - 3725, description="pid 4242"),
        _info("queue", "queue_00", "RUNNING", pid=4301, start=NOW - 86500),
        _info(
            "queue",
            "queue_01",
            "BACKOFF",
            spawnerr="Exited too quickly (process log may have details)",
        ),
        _info("queue", "queue_02", "FATAL", spawnerr="can't find command 'huey_consumer'"),
        _info("cron", "cron", "EXITED", stop=NOW - 125, exitstatus=2),
        _info("cron", "report", "STOPPED"),
        _info("hostile", HOSTILE, "RUNNING", pid=7, start=NOW - 5, description=HOSTILE),
    ]
    processes = [
        p
        if p.pid != 4242
        else ProcessInfo(
            **{**vars(p), "cpu_percent": 12.5, "memory_rss": 52_428_800, "children": 2}
        )
        for p in processes
    ]
    snapshot = ProcessesSnapshot(
        "snap", NOW, tuple(processes), (EndpointStatus("local", "unix:///run/sv.sock"),)
    )
    return ProcessesView(snapshot, {("local", "queue:queue_01"): (3, 14)})


class FixedProcesses:
    """A processes feed on fixed data (supervisord itself is tested for real)."""

    def __init__(self) -> None:
        self.view = fixed_view()

    def poll(self, host: str, as_of: float | None = None) -> ProcessesView:
        return self.view

    def close(self) -> None:
        return None


@pytest.fixture
def fixed_app(tmp_path):
    settings = Settings(
        host="snap",
        supervisors=(SupervisorEndpoint("local", "unix:///run/sv.sock"),),
        data_dir=str(tmp_path),
    )
    steady = dash_data.steady(settings)
    steady["feeds"] = replace(steady["feeds"], processes=FixedProcesses())
    return make_app(settings, **steady)


async def _ready(pilot) -> None:
    await pilot.app.switch_mode("processes")
    for _ in range(200):
        table = pilot.app.screen.query_one(ProcessTable)
        lines = [table.render_line(y).text for y in range(1, 3)] if table.rows_shown else []
        if any("RUNNING" in line for line in lines):
            break  # rows in and column widths settled
        await pilot.pause(0.02)
    await pilot.pause()


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (200, 50)], ids=["80x24", "100x30", "200x50"]
)
def test_processes_screen_snapshot(snap_compare, fixed_app, size) -> None:
    assert snap_compare(fixed_app, terminal_size=size, run_before=_ready)


def test_hostile_names_render_literally(fixed_app) -> None:
    async def body() -> None:
        async with fixed_app.run_test(size=(160, 50)) as pilot:
            await _ready(pilot)
            table = pilot.app.screen.query_one(ProcessTable)
            row = next(r for r in table.rows_shown if r.key.startswith("local/hostile:"))
            cell = table.get_cell(row.key, "Info")
            assert "[bold]evil[/bold]" in cell.plain and "\\x1b]0;pwned\\x07" in cell.plain
            assert "\x1b" not in cell.plain  # the escape is shown, not sent
            assert pilot.app.is_running  # the @click link did nothing

    asyncio.run(body())
