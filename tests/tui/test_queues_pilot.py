"""Pilot tests of the queues screen: confirmations, read-only mode, retry on real huey,
tracebacks shown literally, polling paused under a modal."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from huey import RedisHuey
from textual.widgets import Button, Static

from console.core import keys
from console.core.cache import open_cache
from console.core.feeds import build_feeds
from console.core.report import instrument
from console.core.settings import Settings
from console.core.store import ledger
from console.core.store.engine import make_engine
from console.tui import app as app_module
from console.tui.app import StackwatchApp
from console.tui.screens.confirm import ConfirmScreen
from console.tui.screens.queues import QueuesScreen
from console.tui.screens.traceback import TracebackScreen
from console.tui.widgets.queue_failures import FailureTable
from tests.queues.helpers import HOST, make_settings, spec
from tests.support.waits import shown, sync, until
from tests.tui.queues_fixed import FixedQueues, fixed_app

CALLS: list[int] = []


class QueuesApp(StackwatchApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))
    DEFAULT_MODE = "queues"
    MODES: ClassVar[dict[str, Any]] = {**StackwatchApp.MODES, "queues": QueuesScreen}


async def _show_failed(pilot) -> FailureTable:
    table = pilot.app.screen.query_one(FailureTable)
    await until(pilot, lambda: table.row_count > 0, "failures")
    pilot.app.screen.query_one("#queue-tabs").active = "failed"
    table.focus()
    await pilot.pause()
    return table


def _failing_app(redis_url: str, settings: Settings) -> RedisHuey:
    app = RedisHuey("billing", url=redis_url)

    @app.task()
    def charge(order: int) -> int:
        CALLS.append(order)
        if len(CALLS) == 1:
            raise ValueError("card [b]declined[/b]")
        return order

    instrument(app, settings=settings, capture_args=True)
    charge(7)
    app.execute(app.dequeue())
    cache = open_cache(settings)
    engine = make_engine(settings.resolved_database_url)
    ledger.record_failures(engine, HOST, cache.drain(keys.job_failures(HOST)))
    return app


@sync
async def test_retry_asks_first_focused_on_cancel_then_runs_the_job_again(
    tmp_path: Path, redis_url: str
) -> None:
    CALLS.clear()
    settings = make_settings(tmp_path, redis_url, queues=(spec("billing", "huey"),))
    huey = _failing_app(redis_url, settings)
    app = QueuesApp(settings, build_feeds(settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await _show_failed(pilot)
        await pilot.press("r")
        await until(pilot, lambda: shown(app, ConfirmScreen), "the confirmation")
        target = app.screen.query_one("#confirm-list", Static).render()
        assert "charge on queue billing" in str(target) and "card [b]declined[/b]" in str(target)
        assert app.focused is app.screen.query_one("#cancel", Button)
        await pilot.press("enter")  # Cancel: nothing happens
        await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen), "cancel")
        assert huey.pending_count() == 0
        await pilot.press("r")
        await until(pilot, lambda: shown(app, ConfirmScreen), "the confirmation")
        await pilot.click("#confirm")
        await until(pilot, lambda: huey.pending_count() == 1, "the job to be enqueued")
    huey.execute(huey.dequeue())
    assert CALLS == [7, 7]


@sync
async def test_traceback_on_enter_is_shown_literally(tmp_path: Path, redis_url: str) -> None:
    CALLS.clear()
    settings = make_settings(tmp_path, redis_url, queues=(spec("billing", "huey"),))
    _failing_app(redis_url, settings)
    app = QueuesApp(settings, build_feeds(settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await _show_failed(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: shown(app, TracebackScreen), "the traceback")
        body = app.screen.query_one("#traceback-body", Static).render()
        assert "\n    raise ValueError" in body.plain  # one line per traceback line
        assert "ValueError: card [b]declined[/b]" in body.plain and "Traceback" in body.plain
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, TracebackScreen), "close")


@sync
async def test_read_only_hides_and_refuses_every_mutating_action() -> None:
    app = fixed_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await _show_failed(pilot)
        screen = app.screen
        for action in ("retry", "delete", "flush", "revoke", "restore"):
            assert screen.check_action(action, ()) is False
        assert screen.check_action("traceback", ()) is True
        shown = {b.binding.action for b in screen.active_bindings.values()}
        assert not shown & {"retry", "delete", "flush"}
        await pilot.press("r", "d", "F")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        from console.tui.screens.queue_commands import QueueCommands

        provider = QueueCommands(screen)
        titles = [hit.text for hit in [h async for h in provider.discover()]]
        assert titles and not any("retry" in t or "flush" in t for t in titles)


@sync
async def test_delete_names_the_record_and_flush_names_the_host() -> None:
    app = fixed_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _show_failed(pilot)
        await pilot.press("d")
        await until(pilot, lambda: shown(app, ConfirmScreen), "confirm")
        assert "failure 7: send_receipt on demo_shop" in str(
            app.screen.query_one("#confirm-list", Static).render()
        )
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen), "cancel")
        await pilot.press("F")
        await until(pilot, lambda: shown(app, ConfirmScreen), "confirm")
        assert "all 2 failure records of web-1" in str(
            app.screen.query_one("#confirm-list", Static).render()
        )
        first = app.screen
        await pilot.click("#confirm")  # a flush, like a group or all action, asks twice
        await until(pilot, lambda: shown(app, ConfirmScreen) and app.screen is not first)
        title = str(app.screen.query_one("#confirm-title", Static).render())
        assert "Really delete ALL 2 failure records?" in title
        await pilot.press("escape")  # no at the second question: nothing is flushed
        await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen), "cancel")
        assert app.failures.newest is None and app.is_running


@sync
async def test_polling_pauses_while_a_modal_is_open() -> None:
    feed = FixedQueues()
    app = fixed_app(queues=feed, refresh_queues=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: feed.loads >= 3, "polls")
        await _show_failed(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: shown(app, TracebackScreen), "modal")
        before, screen = feed.loads, app.screen_stack[0]
        await until(pilot, lambda: screen.deferred >= 3, "three polls put off")
        assert feed.loads == before
        await pilot.press("escape")
        await until(pilot, lambda: feed.loads > before, "polls to resume")


@pytest.fixture(autouse=True)
def _no_calls() -> None:
    CALLS.clear()
