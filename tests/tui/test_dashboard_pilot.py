"""Pilot tests of the shell and the dashboard with fixed readings: keys, help, palette, keymap,
read-only, hostile strings, polling paused under a modal."""

from __future__ import annotations

import asyncio
import functools
import io
from typing import ClassVar

from rich.console import Console
from textual.binding import Binding

from console.tui.app import StackwatchApp, make_app
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.help import BindingsProvider, HelpScreen, key_rows
from tests.tui import dash_data


def screen_text(app: StackwatchApp) -> str:
    """What the terminal shows, as plain text."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


async def wait_for(pilot, condition, seconds: float = 5.0) -> None:
    """Poll a condition with a deadline (never a bare sleep)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), "condition not met in time"


def sync(test):
    """Run an async test body on a fresh event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def fixed_app(feed=None, **overrides) -> StackwatchApp:
    settings = dash_data.settings(**overrides)
    return make_app(settings, dash_data.feeds(settings, feed), clock=dash_data.clock)


class CountingDashboard(dash_data.FixedDashboard):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def read_cache(self, host, as_of=None):
        self.calls += 1
        return super().read_cache(host, as_of)


@sync
async def test_one_key_per_screen_and_back() -> None:
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key, mode in (
            ("2", "processes"),
            ("3", "queues"),
            ("4", "logs"),
            ("1", "dashboard"),
            ("P", "processes"),
            ("L", "logs"),
            ("Q", "queues"),
            ("D", "dashboard"),
        ):
            await pilot.press(key)
            assert app.current_mode == mode


@sync
async def test_chart_ranges_and_series_follow_the_keys() -> None:
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: "requests/s (avg) · 6h · web-1" in screen_text(app))
        await pilot.press("left_square_bracket", "left_square_bracket")
        await wait_for(pilot, lambda: "· 30d ·" in screen_text(app))
        await pilot.press("j")
        await wait_for(pilot, lambda: "latency p95 (ms) · 30d" in screen_text(app))
        await pilot.press("G")
        await wait_for(pilot, lambda: "queue emails pending" in screen_text(app))
        await pilot.press("g", "k")
        assert screen.metric == screen.series_names()[-1]


@sync
async def test_help_lists_every_binding_and_polling_waits_under_it() -> None:
    sources = CountingDashboard()
    app = fixed_app(sources, refresh_dashboard=0.1)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: sources.calls >= 2)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {row.binding_id for row in app.screen.rows}
        wanted = {b.id for b in StackwatchApp.BINDINGS + DashboardScreen.BINDINGS}
        assert wanted <= ids
        await pilot.pause(0.3)  # let a poll already in flight land
        calls = sources.calls
        await pilot.pause(0.5)  # five poll intervals with the modal open
        assert sources.calls == calls
        await pilot.press("escape")
        await wait_for(pilot, lambda: sources.calls > calls)


@sync
async def test_settings_keys_remap_by_binding_id() -> None:
    app = fixed_app(keys={"screen.processes": "x", "app.help": "f1"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        assert app.current_mode == "processes"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert any(row.keys == "f1" and row.binding_id == "app.help" for row in app.screen.rows)


class MutatingApp(StackwatchApp):
    """Stands in for the processes screen's marked actions."""

    BINDINGS: ClassVar = [
        *StackwatchApp.BINDINGS,
        Binding("R", "restart_all", "Restart all", id="test.restart_all"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restart_all" and self.settings.read_only:
            return False
        return True

    def action_restart_all(self) -> None:
        self.restarted = True


@sync
async def test_palette_offers_every_action_and_hides_refused_ones() -> None:
    for read_only in (False, True):
        settings = dash_data.settings(read_only=read_only)
        app = MutatingApp(settings, dash_data.feeds(settings), clock=dash_data.clock)
        async with app.run_test(size=(80, 24)) as pilot:
            titles = [t for t, _h, _r in BindingsProvider(app.screen)._commands()]
            for title in ("Dashboard", "Processes", "Queues", "Logs", "Help", "Series", "Range"):
                assert title in titles
            assert ("Restart all" in titles) is (not read_only)
            assert ("READ-ONLY" in screen_text(app)) is read_only
            await pilot.press("R")
            assert getattr(app, "restarted", False) is (not read_only)
            rows = key_rows(app.screen)
            assert any(r.binding_id == "test.restart_all" for r in rows) is (not read_only)


@sync
async def test_palette_runs_a_binding_action() -> None:
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Processes")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_mode == "processes")


@sync
async def test_hostile_strings_render_literally() -> None:
    sources = dash_data.FixedDashboard(queue_names=("[bold]x[/]", "evil\x1b[2Jq"))
    app = fixed_app(sources, host="host\x1b]0;pwned\x07[red]")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: "[bold]x[/]" in screen_text(app))
        text = screen_text(app)
        assert "evil\\x1b[2Jq" in text
        assert "host\\x1b]0;pwned\\x07[red]" in text


@sync
async def test_hosts_switch_with_a_key() -> None:
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "worker-2" in app.model.hosts)
        await pilot.press("h")
        assert app.model.host == "worker-2"
        await wait_for(pilot, lambda: "worker-2" in screen_text(app))
