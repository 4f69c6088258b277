"""Pilot tests of the processes screen against a real supervisord."""

from __future__ import annotations

import asyncio
import time

import pytest

from console.core.settings import Settings, SupervisorEndpoint
from console.tui.app import make_app
from console.tui.screens.confirm import ConfirmScreen
from console.tui.screens.processes import ProcessesScreen
from console.tui.widgets.process_table import ProcessTable
from tests.support.supervisord import Program

SIZE = (160, 50)


def _settings(sv, tmp_path, **kw) -> Settings:
    return Settings(
        host="test",
        supervisors=(SupervisorEndpoint("local", sv.url),),
        data_dir=str(tmp_path / "data"),
        refresh_processes=1.0,
        **kw,
    )


async def until(pilot, check, timeout: float = 15.0):
    """Let the app run until `check()` is truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


async def open_processes(pilot) -> ProcessesScreen:
    await pilot.app.switch_mode("processes")
    screen = pilot.app.screen
    assert isinstance(screen, ProcessesScreen)
    await until(pilot, lambda: screen.query_one(ProcessTable).rows_shown)
    return screen


def select(screen: ProcessesScreen, key: str) -> None:
    table = screen.query_one(ProcessTable)
    keys = [r.key for r in table.rows_shown]
    table.move_cursor(row=keys.index(key), animate=False)


def pid(sv, name: str) -> int:
    return sv.rpc().supervisor.getProcessInfo(name)["pid"]


@pytest.fixture
def stack(supervisord_factory):
    sv = supervisord_factory([Program("web", "sleep 60"), Program("worker", "sleep 60")])
    sv.wait_for_state("web", {"RUNNING"})
    sv.wait_for_state("worker", {"RUNNING"})
    return sv


def test_restart_confirm_and_cancel(stack, tmp_path) -> None:
    asyncio.run(_restart_confirm_and_cancel(stack, tmp_path))


async def _restart_confirm_and_cancel(stack, tmp_path) -> None:
    app = make_app(_settings(stack, tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_processes(pilot)
        select(screen, "local/web:web")
        before = pid(stack, "web")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.focused.id == "cancel"  # Cancel has the focus
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        assert pid(stack, "web") == before
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await until(pilot, lambda: pid(stack, "web") != before and not screen._acting)
        log = "\n".join(str(line.text) for line in screen.query_one("#processes-log").lines)
        assert "supervisorctl restart web:web" in log and "RUNNING" in log
