"""Snapshots of the fleet screen on fixed rows at 80x24, 100x30 and 200x50."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable

from console.core.feeds.fleet import BAD, DOWN, OK, STALE, FleetRow, FleetView
from console.core.fleet.summary import HostSummary
from console.core.parse import Invalid
from console.core.settings import Settings
from console.tui import app as app_module
from console.tui.app import StackwatchApp
from tests.tui import dash_data
from tests.tui.dash_data import NOW


def summary(host: str, **values) -> HostSummary:
    base = dict(programs=6, running=6, worst_queue="default", worst_backlog=3)
    return HostSummary(host, NOW - 5, **(base | dict(cpu=22.0, mem=41.0, disk=63.0) | values))


ROWS = (
    FleetRow("db-2", DOWN, "stopped reporting", NOW - 7200, 60.0, "ok", summary("db-2")),
    FleetRow(
        "web-2",
        BAD,
        "2 alerts firing, 1 FATAL, 2 BACKOFF",
        NOW - 4,
        60.0,
        "ok",
        summary("web-2", running=3, fatal=1, backoff=2, alerts=2),
    ),
    FleetRow("web-3", STALE, "heartbeat late", NOW - 150, 60.0, "down", summary("web-3")),
    FleetRow("web-1", OK, "", NOW - 12, 60.0, "ok", summary("web-1", worst_backlog=1240)),
    FleetRow("[b]evil[/b]\x1b[2J", OK, "", NOW - 3, 60.0, "ok", None),
)


class FixedFleet:
    def poll(self, as_of: float | None = None) -> FleetView:
        return FleetView(NOW, ROWS, (Invalid("summary of x", "not JSON"),))

    def remove(self, host: str) -> str:
        return f"removed 2 entries of {host}"

    def close(self) -> None:
        pass


class FleetApp(StackwatchApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))
    DEFAULT_MODE = "fleet"


def fleet_app() -> FleetApp:
    settings = Settings(host="web-1", data_dir="/nonexistent")
    steady = dash_data.steady(settings)
    steady["feeds"] = replace(steady["feeds"], fleet=FixedFleet())
    return FleetApp(settings, **steady)


async def _loaded(pilot) -> None:
    for _ in range(50):
        await pilot.pause()
        if pilot.app.screen.query_one(DataTable).row_count:
            return
    raise AssertionError("the fleet screen never showed its rows")


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (200, 50)], ids=["80x24", "100x30", "200x50"]
)
def test_fleet_screen(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(fleet_app(), terminal_size=size, run_before=_loaded)


class RecordingFleet(FixedFleet):
    def __init__(self) -> None:
        self.removed: list[str] = []

    def remove(self, host: str) -> str:
        self.removed.append(host)
        return super().remove(host)


def test_forget_asks_first_and_read_only_hides_it() -> None:
    from console.tui.screens.confirm import ConfirmScreen
    from tests.support.waits import sync, until

    fleet = RecordingFleet()

    @sync
    async def flow(read_only: bool) -> None:
        settings = Settings(host="web-1", data_dir="/nonexistent", read_only=read_only)
        steady = dash_data.steady(settings)
        steady["feeds"] = replace(steady["feeds"], fleet=fleet)
        app = FleetApp(settings, **steady)
        async with app.run_test(size=(100, 30)) as pilot:
            await _loaded(pilot)
            await pilot.press("d")
            if read_only:
                await pilot.pause()
                assert not isinstance(app.screen, ConfirmScreen)
                return
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirmation")
            await pilot.click("#confirm")
            await until(pilot, lambda: fleet.removed == ["db-2"], "removed")

    flow(True)
    assert fleet.removed == []
    flow(False)


def test_filter_by_name_or_state() -> None:
    from tests.support.waits import sync, until

    @sync
    async def flow() -> None:
        app = fleet_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await _loaded(pilot)
            table = app.screen.query_one(DataTable)

            def shown() -> list[str]:
                return [str(key.value) for key in table.rows]

            await pilot.press("slash", *"down")
            await until(pilot, lambda: shown() == ["db-2"], "the down host only")
            await pilot.press("escape")
            await until(pilot, lambda: len(shown()) == len(ROWS), "every host again")
            await pilot.press("slash", *"web")
            await until(pilot, lambda: shown() == ["web-2", "web-3", "web-1"], "web hosts")

    flow()
