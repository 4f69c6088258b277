"""The console as a user drives it (Pilot), two real hosts through their workers, no
supervisord URL configured: the fleet screen lists both, Enter opens one, `r` restarts its
program after the same confirmation as a local one, the action log and the audit show it,
its transitions open, and the Logs screen reads its log."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from console.core.settings import Settings
from console.tui.app import make_app
from console.tui.screens.confirm import ConfirmScreen
from console.tui.screens.fleet import FleetScreen
from console.tui.screens.processes import ProcessesScreen
from console.tui.screens.transitions import TransitionsScreen
from console.tui.widgets.process_table import ProcessTable
from console.tui.widgets.transition_table import TransitionTable
from tests.support.screen import screen_text
from tests.support.waits import shown, sync, until

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
SIZE = (160, 40)


def test_fleet_screen_opens_a_host_and_restarts_its_program(
    fleet_host, console_settings: Settings
) -> None:
    fleet_host("alpha")
    beta = fleet_host("beta")
    flow(beta, console_settings)


@sync
async def flow(beta, settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        fleet = app.screen
        assert isinstance(fleet, FleetScreen)
        table = fleet.query_one(DataTable)

        def hosts() -> list[str]:
            return [str(key.value) for key in table.rows]

        await until(pilot, lambda: {"alpha", "beta"} <= set(hosts()), "both hosts", 60)
        table.move_cursor(row=hosts().index("beta"))
        await pilot.press("enter")
        await until(pilot, lambda: shown(app, ProcessesScreen), "processes")
        screen = app.screen
        assert app.model.host == "beta"
        rows = screen.query_one(ProcessTable)
        await until(pilot, lambda: any(r.target == "app:app" for r in rows.rows_shown), "rows")
        keys = [r.key for r in rows.rows_shown]
        rows.move_cursor(row=next(i for i, k in enumerate(keys) if k.endswith("app:app")))
        before = beta.pid()
        await pilot.press("r")
        await until(pilot, lambda: shown(app, ConfirmScreen), "confirmation")
        await pilot.click("#confirm")
        await until(pilot, lambda: beta.pid() != before and not screen.acting, "restart", 30)
        log = "\n".join(str(line.text) for line in screen.query_one("#processes-log").lines)
        assert "beta/main" in log and "restart app:app" in log
        entries = app.feeds.processes.audit_entries()
        assert any(e.target == "beta/main/app:app" and e.action == "restart" for e in entries)
        # the program's transitions, from beta's rows in the store: the restart is there
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TransitionsScreen), "transitions")
        table = app.screen.query_one(TransitionTable)
        await until(pilot, lambda: table.row_count > 0, "beta's transitions", 30)
        assert app.failures.newest is None
        await pilot.press("escape")
        # its log, read through beta's worker
        await pilot.press("4")
        await until(pilot, lambda: "hello from beta" in screen_text(app), "beta's log", 30)
        assert app.failures.newest is None
