"""The Alerts screen and the header's alert chip on fixed data: snapshots at 80x24, 100x30 and
200x50, silencing (dialog, confirmation, the feed called once) and the history pane."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from console.core.alerts.model import AlertState
from console.core.alerts.silences import Silence
from console.core.alerts.view import AlertsView
from console.core.settings import Settings
from console.core.store.alert_history import HistoryEntry
from console.tui import app as app_module
from console.tui.app import StackwatchApp
from console.tui.screens.silence import SilenceScreen
from console.tui.widgets.alert_chip import AlertChip, chip_text
from tests.support.waits import shown, sync, until
from tests.tui import dash_data
from tests.tui.dash_data import NOW

STATES = (
    AlertState(
        "fp1",
        "program_fatal",
        "web:web_0",
        "firing",
        NOW - 125,
        fired_at=NOW - 125,
        summary="web:web_0 is FATAL (supervisord gave up starting it) for 2m05s",
    ),
    AlertState(
        "fp2",
        "crash_loop",
        "[b]evil[/b]\x1b[2J",
        "firing",
        NOW - 60,
        fired_at=NOW - 60,
        value=6,
        threshold=5,
        summary="[red]evil[/red] started 6 times in 10 min",
        silenced=True,
    ),
    AlertState(
        "fp3",
        "cpu_high",
        "host",
        "pending",
        NOW - 40,
        value=97.5,
        threshold=95,
        summary="cpu at 97.5 (critical 95)",
    ),
    AlertState(
        "fp4",
        "queue_pending",
        "emails",
        "resolved",
        NOW - 4000,
        resolved_at=NOW - 600,
        value=1200,
        threshold=1000,
        summary="queue emails has 1200 jobs pending",
    ),
)
SILENCE = Silence("s1", "fp2", NOW + 3600, "deploying [b]x[/b]", "ops", NOW - 60)
HISTORY = [
    HistoryEntry(
        NOW - 120,
        "fp1",
        "program_fatal",
        "web:web_0",
        "sent",
        "firing: ...",
        target="json://hooks.example/***",
        detail="after 1 tries",
    ),
    HistoryEntry(NOW - 125, "fp1", "program_fatal", "web:web_0", "firing", "web:web_0 is FATAL"),
]


class FixedAlerts:
    def __init__(self, view: AlertsView) -> None:
        self.fixed = view
        self.silenced: list[tuple] = []

    def view(self, host: str) -> AlertsView:
        return self.fixed

    def history(self, host: str, fingerprint: str | None = None) -> list[HistoryEntry]:
        return [h for h in HISTORY if fingerprint in (None, h.fingerprint)]

    def silence(self, host: str, match: str, duration_s: float, reason: str) -> str:
        self.silenced.append((host, match, duration_s, reason))
        return f"silenced {match} for 2h00m: {reason}"

    def close(self) -> None:
        pass


class AlertsApp(StackwatchApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))
    DEFAULT_MODE = "alerts"


def alerts_app(view: AlertsView | None = None, **overrides) -> AlertsApp:
    settings = Settings(host="web-1", data_dir="/nonexistent", **overrides)
    steady = dash_data.steady(settings)
    fixed = view or AlertsView("web-1", STATES, (SILENCE,), evaluated=NOW - 4, waiting=2)
    steady["feeds"] = replace(steady["feeds"], alerts=FixedAlerts(fixed))
    return AlertsApp(settings, **steady)


async def _loaded(pilot) -> None:
    await until(pilot, lambda: pilot.app.screen.query_one("#alerts-table", DataTable).row_count)
    # the chip's first read (after the first frame) has answered: not its "alerts ?" any more
    await until(pilot, lambda: "?" not in str(pilot.app.screen.query_one(AlertChip).render()))


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (200, 50)], ids=["80x24", "100x30", "200x50"]
)
def test_alerts_screen(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(alerts_app(), terminal_size=size, run_before=_loaded)


def test_alerts_screen_cannot_tell(snap_compare) -> None:
    view = AlertsView("web-1", error="Redis at redis://127.0.0.1:6379/0: Connection refused")
    assert snap_compare(alerts_app(view), terminal_size=(80, 24))


def test_the_silence_dialog(snap_compare) -> None:
    async def open_dialog(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("s")
        await until(pilot, lambda: shown(pilot.app, SilenceScreen))

    assert snap_compare(alerts_app(), terminal_size=(80, 24), run_before=open_dialog)


@sync
async def test_silence_asks_then_calls_the_feed_once() -> None:
    app = alerts_app()
    feed = app.feeds.alerts
    async with app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        await pilot.press("s")
        await until(pilot, lambda: shown(app, SilenceScreen))
        app.screen.query_one("#silence-for", Input).value = "2h"
        app.screen.query_one("#silence-reason", Input).value = "deploying"
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query("#confirm"), "the confirmation")
        assert feed.silenced == []  # nothing before the confirmation is answered
        await pilot.click("#confirm")
        await until(pilot, lambda: feed.silenced, "the feed to be called")
    assert feed.silenced == [("web-1", "fp1", 7200.0, "deploying")]


@sync
async def test_escape_and_a_bad_duration_silence_nothing() -> None:
    app = alerts_app()
    feed = app.feeds.alerts
    async with app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        await pilot.press("s")
        await until(pilot, lambda: shown(app, SilenceScreen))
        app.screen.query_one("#silence-for", Input).value = "forever"
        app.screen.query_one("#silence-reason", Input).value = "x"
        await pilot.press("enter")
        assert isinstance(app.screen, SilenceScreen)  # still asking: the duration is wrong
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, SilenceScreen))
    assert feed.silenced == []


@sync
async def test_read_only_refuses_to_silence() -> None:
    app = alerts_app(read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, SilenceScreen)


@sync
async def test_history_pane_shows_the_selected_alert() -> None:
    app = alerts_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        await pilot.press("h")
        history = app.screen.query_one("#alerts-history", DataTable)
        await until(pilot, lambda: history.row_count == 2)
        assert history.has_class("-visible")
        await pilot.press("h")
        assert not history.has_class("-visible")


def test_chip_words() -> None:
    view = AlertsView("h", STATES, evaluated=NOW)
    assert chip_text(view, None) == ("1 alert", "down")  # the silenced one does not count
    assert chip_text(AlertsView("h", STATES[2:], evaluated=NOW), None) == ("no alerts", "ok")
    assert chip_text(view, "stale") == ("alerts ?", "unknown")
