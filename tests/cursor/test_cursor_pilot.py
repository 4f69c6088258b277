"""The time cursor in the console: `@` sets it, every screen shows the store's state then,
actions refuse in the past, and `0` goes back to live. Real feeds over a seeded SQLite store."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from textual.widgets import Input, Static

from console.core.feeds import build_feeds
from console.core.settings import Settings, SupervisorEndpoint
from console.core.store.engine import make_engine, upgrade
from console.tui.app import make_app
from console.tui.screens.cursor_input import CursorInput
from console.tui.widgets.process_table import ProcessTable
from console.tui.widgets.queue_depths import QueueDepthTable
from tests.cursor.seed import CRASH, HOST, NOW, cpu_at, pending_at, seed
from tests.support.waits import shown, until


@pytest.fixture
def app(sqlite_url: str, tmp_path):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    seed(engine, days_raw=1, days_rolled=1)
    engine.dispose()
    settings = Settings(
        host=HOST,
        database_url=sqlite_url,
        data_dir=str(tmp_path / "data"),
        supervisors=(SupervisorEndpoint("local", f"unix://{tmp_path}/none.sock"),),
    )
    clock = lambda: float(NOW)  # noqa: E731
    return make_app(settings, build_feeds(settings, clock), clock=clock, tz=dt.UTC)


def iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


async def go_to(pilot, text: str) -> None:
    await pilot.press("at")
    await until(pilot, lambda: shown(pilot.app, CursorInput), "the input")
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")


def header(pilot) -> str:
    chip = pilot.app.screen.query_one("#header-cursor", Static)
    return str(chip.render()) if chip.display else ""


def test_the_cursor_moves_every_screen_and_back(app) -> None:
    at = CRASH + 3  # web:app in BACKOFF, restarted once in the hour before

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await go_to(pilot, "bad time")
            error = pilot.app.screen.query_one("#cursor-error", Static)
            await until(pilot, lambda: "not a time" in str(error.render()), "the error")
            assert isinstance(pilot.app.screen, CursorInput)  # stays open on a bad time
            pilot.app.screen.query_one(Input).value = iso(at)
            await pilot.press("enter")
            await until(pilot, lambda: pilot.app.cursor == at, "the cursor")
            assert header(pilot) == f"AT {iso(at)[11:16]} (1h ago)"  # 1h59m57s, rough

            def stored_health():
                cache = pilot.app.shown_model().cache  # None until the store answers
                return cache.health if cache is not None else None

            shown = await until(pilot, stored_health, "the stored health")
            assert shown.cpu_percent == cpu_at(at - at % 60)
            assert pilot.app.shown_model().panel_note("health") == "stored minute"

            await pilot.app.switch_mode("processes")
            table = pilot.app.screen.query_one(ProcessTable)

            def app_row():
                return next((r for r in table.rows_shown if r.target == "web:app"), None)

            row = await until(pilot, lambda: app_row() if app_row() else None, "web:app")
            assert "BACKOFF" in row.cells and row.kind == "failed"
            notices = len(pilot.app._notifications)
            table.focus()
            await pilot.press("r")  # restart: refused in the past, with a notice
            await until(pilot, lambda: len(pilot.app._notifications) > notices, "a notice")
            text = list(pilot.app._notifications)[-1].message
            assert "refused" in text and "past" in text

            await pilot.app.switch_mode("queues")
            depths = pilot.app.screen.query_one(QueueDepthTable)
            want = str(pending_at(at - at % 60))
            await until(pilot, lambda: depths.row_count and want in _cells(depths), "depths")
            notices = len(pilot.app._notifications)
            pilot.app.screen.action_retry()  # retry a failed job (its tab's key): refused too
            await until(pilot, lambda: len(pilot.app._notifications) > notices, "a notice")
            assert "retry refused" in list(pilot.app._notifications)[-1].message

            await pilot.press("less_than_sign")  # 5 minutes earlier (the 1h range's step)
            await until(pilot, lambda: pilot.app.cursor == at - 300, "a step back")
            await pilot.press("0")
            await until(pilot, lambda: pilot.app.cursor is None, "live")
            assert header(pilot) == ""

    asyncio.run(body())


def _cells(table) -> list[str]:
    return [str(c) for c in table.get_row_at(0)]
