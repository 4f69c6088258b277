"""Every modal at 80x24, over the same quiet dashboard: confirm (and its second question),
help, signal, audit, traceback and the log source picker. Fixed data, fixed clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.screen import Screen

from console.core.logs.sources import LogSource
from console.core.store.audit import AuditEntry
from console.tui.app import make_app
from console.tui.screens.audit import AuditScreen
from console.tui.screens.confirm import Confirmation
from console.tui.screens.process_signal import SignalScreen
from console.tui.screens.traceback import TracebackScreen
from console.tui.widgets.log_source_picker import LogSourcePicker
from tests.support.waits import until
from tests.tui import dash_data

ASK = Confirmation(
    "Restart 3 processes?  (supervisorctl restart queue:*)",
    ["queue:queue_00", "queue:queue_01", "queue:queue_02"],
    "Restart",
    twice=True,
    again="Really restart ALL 3 listed processes?",
)
TRACE = (
    "Traceback (most recent call last):\n"
    '  File "console/tui/state/poller.py", line 96, in <lambda>\n'
    "    return lambda: app.post_message(CacheRead(feed.read_cache(host)))\n"
    "TypeError: float() argument must be a string or a real number, not 'list'\n"
)
AUDIT = [
    AuditEntry(
        dash_data.NOW - 60,
        "ops",
        "web-1",
        "restart",
        "web:web",
        "supervisorctl restart web:web",
        "ok",
    ),
    AuditEntry(
        dash_data.NOW - 3600, "ops", "web-1", "stop", "queue:*", "supervisorctl stop queue:*", "ok"
    ),
]
SOURCES = [
    LogSource("program", "main/web:web (stdout)", endpoint="main", program="web:web"),
    LogSource("main", "main: supervisord log", endpoint="main"),
    LogSource("file", "file: app.log", path="/var/log/app.log"),
]
MODALS: dict[str, Callable[[], Screen]] = {
    "confirm": ASK.first,
    "confirm-again": ASK.second,
    "signal": lambda: SignalScreen("queue:*"),
    "audit": lambda: AuditScreen(AUDIT),
    "traceback": lambda: TracebackScreen("polling cache: TypeError: float() argument", TRACE),
}


def _app(**overrides: object):
    settings = dash_data.settings(**overrides)
    feeds = dash_data.feeds(settings, dash_data.FixedDashboard(with_data=False))
    return make_app(settings, feeds, clock=dash_data.clock)


async def _quiet(pilot) -> None:
    """Every source answered and no worker runs: the dashboard behind will not change."""
    app = pilot.app
    await until(pilot, lambda: all(s.status != "unknown" for s in app.model.states[:-1]))
    await until(pilot, lambda: not app.workers, "the polls to return")


@pytest.mark.parametrize("name", list(MODALS))
def test_modal(snap_compare, name: str) -> None:
    async def run_before(pilot) -> None:
        await _quiet(pilot)
        modal = MODALS[name]()
        await pilot.app.push_screen(modal)
        await until(pilot, lambda: pilot.app.screen is modal and modal.is_mounted, name)
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)


def test_help(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _quiet(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen", "help")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)


def test_source_picker(snap_compare) -> None:
    """Over the logs screen, whose stylesheet places it (no source configured behind it)."""

    async def run_before(pilot) -> None:
        await pilot.app.switch_mode("logs")
        await until(pilot, lambda: not pilot.app.workers, "the log sources to load")
        picker = LogSourcePicker(SOURCES, ["sv other: connection refused"])
        await pilot.app.push_screen(picker)
        await until(pilot, lambda: picker.is_mounted, "the picker")
        await pilot.pause()

    app = _app(supervisors=())
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
