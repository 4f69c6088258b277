"""An unexpected error in a poll or a screen never ends the console: it is a notice, `!` shows
its traceback (no locals, no password), and the next poll happens."""

from __future__ import annotations

from dataclasses import replace

from console.tui.app import make_app
from console.tui.screens.traceback import TracebackScreen
from console.tui.widgets.process_table import ProcessTable
from tests.support.screen import screen_text
from tests.support.waits import sync, until
from tests.tui import dash_data
from tests.tui.test_processes_snapshots import fixed_view

SECRET = "hunter2-secret"


class FlakyDashboard(dash_data.FixedDashboard):
    """The cache read raises on its first `failures` calls (a value of the wrong type, say)."""

    def __init__(self, failures: int = 1) -> None:
        super().__init__()
        self.failures = failures
        self.calls = 0

    def read_cache(self, host, as_of=None):
        self.calls += 1
        if self.calls <= self.failures:
            raise TypeError(f"bad value from redis://:{SECRET}@cache:6379/0")
        return super().read_cache(host, as_of)


@sync
async def test_a_cache_poll_that_raises_is_a_notice_and_polls_again() -> None:
    feed = FlakyDashboard()
    settings = dash_data.settings(refresh_dashboard=0.1)
    app = make_app(settings, dash_data.feeds(settings, feed), clock=dash_data.clock)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await until(pilot, lambda: app.failures.newest is not None, "the failure to be recorded")
        await until(pilot, lambda: "Unexpected error" in screen_text(app), "the notice")
        await until(pilot, lambda: feed.calls >= 2, "the next cache poll")
        await until(pilot, lambda: app.model.state("cache").status == "ok", "the cache to be ok")
        assert app.is_running
        assert SECRET not in screen_text(app)
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, TracebackScreen)
        text = await until(pilot, lambda: "TypeError" in screen_text(app) and screen_text(app))
        assert "TypeError" in text and "read_cache" in text
        assert SECRET not in text and SECRET not in app.screen.body
        await pilot.press("escape")
        assert app.is_running


class RaisingProcesses:
    """A processes feed raising on its first poll, then answering with fixed data."""

    def __init__(self) -> None:
        self.polls = 0

    def poll(self, host, as_of=None):
        self.polls += 1
        if self.polls == 1:
            raise ValueError("[@click=app.quit]boom[/] \x1b]0;x\x07")
        return fixed_view()

    def close(self) -> None:
        return None


@sync
async def test_a_processes_poll_that_raises_is_a_notice_and_polls_again() -> None:
    settings = dash_data.settings(refresh_processes=1.0)
    steady = dash_data.steady(settings)
    steady["feeds"] = replace(steady["feeds"], processes=RaisingProcesses())
    app = make_app(settings, **steady)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await app.switch_mode("processes")
        screen = app.screen
        await until(pilot, lambda: app.failures.newest is not None, "the failure to be recorded")
        await until(pilot, lambda: screen.query_one(ProcessTable).rows_shown, "the next poll")
        assert app.is_running
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, TracebackScreen)
        text = await until(pilot, lambda: screen_text(app), "the traceback on screen")
        assert "ValueError: [@click=app.quit]boom[/]" in text and "\x1b]0;x\x07" not in text
        assert "\\x1b]0;x\\x07" in text  # the escape made visible


class GarbledDashboard(dash_data.FixedDashboard):
    """Readings a panel cannot show (a text where a number belongs) until `fixed` is set."""

    fixed = False

    def read_cache(self, host, as_of=None):
        reading = super().read_cache(host, as_of)
        if self.fixed:
            return reading
        return replace(reading, health=replace(reading.health, cpu_percent="[red]x"))


@sync
async def test_a_screen_that_cannot_show_a_reading_says_so_and_shows_the_next() -> None:
    feed = GarbledDashboard()
    settings = dash_data.settings(refresh_dashboard=0.1)
    app = make_app(settings, dash_data.feeds(settings, feed), clock=dash_data.clock)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await until(pilot, lambda: app.failures.newest is not None, "the failure to be recorded")
        assert app.failures.newest.where.startswith("Dashboard")
        assert len({f.summary for f in app.failures.kept}) == 1  # the same error, kept once
        feed.fixed = True
        await until(pilot, lambda: "42%" in screen_text(app), "the next reading shown")
        assert app.is_running
