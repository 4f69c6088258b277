"""At 80x24, 100x30 and 200x50 nothing important is cut mid-value: each screen decides per
width what to show, and shows it whole."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from console.core.feeds.dashboard import CacheReading
from console.core.settings import Settings, SupervisorEndpoint
from console.core.store.audit import AuditEntry
from console.tui.app import make_app
from console.tui.screens.audit import AuditScreen
from tests.support.screen import screen_text
from tests.support.waits import sync, until
from tests.tui import dash_data
from tests.tui import test_processes_snapshots as processes_snapshots
from tests.tui.test_dashboard_snapshots import _settle

SIZES = [(80, 24), (100, 30), (200, 50)]
IDS = ["80x24", "100x30", "200x50"]


class BusyDashboard(dash_data.FixedDashboard):
    """A busy shop: three-digit rates and megabytes a second, the values that used to be cut."""

    def read_cache(self, host: str, as_of: float | None = None) -> CacheReading:
        reading = super().read_cache(host, as_of)
        assert reading.performance is not None and reading.health is not None
        perf = replace(reading.performance, rps_now=114.9, rps_avg=113.3, rps_peak=141.5)
        health = replace(
            reading.health, net_rx_bps=131_400.0, net_tx_bps=1_250_000.0, net_interfaces=("eth0",)
        )
        return replace(reading, performance=perf, health=health)


def _footer(app) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@sync
async def test_dashboard_values_are_whole_at_every_width(size: tuple[int, int]) -> None:
    settings = dash_data.settings()
    feeds = dash_data.feeds(settings, BusyDashboard())
    app = make_app(settings, feeds, clock=dash_data.clock)
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        await until(pilot, lambda: "Quit" in _footer(app) and "141.5" in screen_text(app))
        text = screen_text(app)
        assert re.search(r"\bp(ea)?k 141\.5\b", text), "peak without its number"
        assert re.search(r"\brx 128\.3K(/s)? tx 1\.2M(/s)?", text), "net cut"
        assert re.search(r"queue +pending .*failed", text), "queue stats lost their failures"
        if size[0] >= 200:
            assert "tx 1.2M/s eth0" in text  # room to name the interfaces
        footer = _footer(app)
        assert "? Help" in footer and "q Quit" in footer


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@pytest.mark.parametrize("screen", ["dashboard", "processes", "queues", "logs", "fleet"])
@sync
async def test_every_footer_keeps_help_and_quit_and_cuts_no_key(
    screen: str, size: tuple[int, int]
) -> None:
    settings = dash_data.settings()
    app = make_app(settings, **dash_data.steady(settings))
    async with app.run_test(size=size) as pilot:
        await app.switch_mode(screen)
        await until(pilot, lambda: "Quit" in _footer(app))
        footer = _footer(app).split("▏")[0].rstrip()
        assert footer.endswith("? Help  q Quit") or footer.endswith("? Help q Quit"), footer
        keys = len(re.findall(r"(?:^|\s)\S{1,5} [A-Z]", footer))
        assert keys >= 4, footer  # more than Help and Quit: the screen's own keys too


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@sync
async def test_audit_result_is_whole_and_does_not_repeat_the_command(size: tuple[int, int]) -> None:
    command = "restart shop:demo-web shop:demo-jobs"
    why = "1 of 2 failed; shop:demo-jobs: spawn error (exited before startsecs: exit status 3)"
    result = f"{command}: {why}"  # what ActionResult.summary() writes
    entry = AuditEntry(dash_data.NOW, "ops", "web-1", "restart", "main/shop:*", command, result)
    settings = dash_data.settings()
    app = make_app(settings, **dash_data.steady(settings))
    async with app.run_test(size=size) as pilot:
        await app.push_screen(AuditScreen([entry]))
        await until(pilot, lambda: "startsecs" in screen_text(app))
        text = screen_text(app)
        assert text.count("restart shop:demo-web") <= 1  # the Command column, or none
        words = " ".join(line.strip(" │┃") for line in text.splitlines())
        for word in why.split():
            assert word in words, word
        assert "…" not in text


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@sync
async def test_processes_show_memory_and_why_whole_at_every_width(size: tuple[int, int]) -> None:
    settings = Settings(host="snap", supervisors=(SupervisorEndpoint("local", "unix:///sv"),))
    steady = dash_data.steady(settings)
    steady["feeds"] = replace(steady["feeds"], processes=processes_snapshots.FixedProcesses())
    app = make_app(settings, **steady)
    async with app.run_test(size=size) as pilot:
        await processes_snapshots._ready(pilot)
        await until(pilot, lambda: "huey_consumer" in screen_text(app))
        text = screen_text(app)
        assert "Memory" in text and " 50M " in text
        assert "can't find command 'huey_consumer'" in text  # the FATAL reason, whole
        assert "exit status 2, 2m05s ago" in text  # how cron ended, in supervisord's words
        assert "Exited too quickly" in text
        # the footer is drawn apart from the table: wait for it (a busy machine lags)
        footer = await until(pilot, lambda: "Quit" in _footer(app) and _footer(app))
        assert "? Help" in footer and "q Quit" in footer


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@sync
async def test_a_toast_never_covers_a_dialog_border(size: tuple[int, int]) -> None:
    settings = dash_data.settings()
    app = make_app(settings, **dash_data.steady(settings))
    entry = AuditEntry(dash_data.NOW, "ops", "web-1", "restart", "main/web:web", "restart", "ok")
    async with app.run_test(size=size, notifications=True) as pilot:
        await app.push_screen(AuditScreen([entry]))
        app.notify("restarted web:web (RUNNING)", title="Processes")
        await until(pilot, lambda: "restarted web:web" in screen_text(app))
        lines = screen_text(app).splitlines()
        bottom = max(i for i, line in enumerate(lines) if "▄▄▄▄" in line)  # thick border
        toast = min(i for i, line in enumerate(lines) if "restarted web:web" in line)
        assert toast > bottom  # the toast sits below the dialog, its border whole
