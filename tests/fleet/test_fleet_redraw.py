"""The fleet screen redraws when a host or a state changes, and for numbers alone (ages, CPU)
at most every NUMBERS_EVERY_S: at 200 hosts every redraw renders every visible cell again."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable

from console.core.feeds.fleet import BAD, OK, FleetRow, FleetView
from console.core.settings import Settings
from console.tui.screens.fleet import NUMBERS_EVERY_S
from tests.fleet.test_fleet_snapshots import FixedFleet, FleetApp, summary
from tests.support.waits import sync, until
from tests.tui import dash_data
from tests.tui.dash_data import NOW


def view(now: float, cpu: float = 22.0, state: str = OK) -> FleetView:
    rows = (
        FleetRow("web-1", state, "", NOW - 5, 60.0, "ok", summary("web-1", cpu=cpu)),
        FleetRow("web-2", OK, "", NOW - 5, 60.0, "ok", summary("web-2")),
    )
    return FleetView(now, rows)


class SetFleet(FixedFleet):
    """Whatever view the test set last: the screen's own polls show it too."""

    current = FleetView(NOW)

    def poll(self, as_of: float | None = None) -> FleetView:
        return self.current


def cells(table: DataTable) -> list[str]:
    return [str(cell) for cell in table.get_row("web-1")]


@sync
async def test_numbers_wait_states_do_not() -> None:
    settings = Settings(host="web-1", data_dir="/nonexistent")
    steady = dash_data.steady(settings)
    feed = SetFleet()
    feed.current = view(NOW)
    steady["feeds"] = replace(steady["feeds"], fleet=feed)
    app = FleetApp(settings, **steady)

    def show(shown: FleetView) -> None:
        feed.current = shown
        screen.show(shown)

    async with app.run_test(size=(200, 50)) as pilot:
        await until(pilot, lambda: app.screen.query_one(DataTable).row_count > 0, "rows")
        screen, table = app.screen, app.screen.query_one(DataTable)
        first = cells(table)
        assert "22%" in " ".join(first)
        show(view(NOW + 2, cpu=75.0))  # a number changed, 2 s later: not yet
        await pilot.pause()
        assert cells(table) == first
        show(view(NOW + NUMBERS_EVERY_S + 1, cpu=75.0))  # its time has come
        await pilot.pause()
        assert "75%" in " ".join(cells(table))
        show(view(NOW + NUMBERS_EVERY_S + 2, cpu=75.0, state=BAD))  # a state: at once
        await pilot.pause()
        assert any("BAD" in cell for cell in cells(table))
