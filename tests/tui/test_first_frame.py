"""Nothing that loads SQLAlchemy starts before the first frame: its import in a thread holds the
GIL while that frame renders (the first paint was 2.4× a minimal Textual app). The store poll
and the alerts chip's first read wait until the first frame is out, then run."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from console.core.alerts.view import AlertsView
from console.tui.app import make_app
from tests.support.waits import sync, until
from tests.tui import dash_data
from tests.tui.dash_data import NOW


class RecordingAlerts:
    """An alerts feed that notes, at each read, whether the app's first frame was out."""

    def __init__(self) -> None:
        self.app = None
        self.reads: list[bool] = []

    def view(self, host: str) -> AlertsView:
        self.reads.append(self.app.poller.first_frame_out)
        return AlertsView(host, (), evaluated=NOW)

    def close(self) -> None:
        pass


class RecordingDashboard(dash_data.FixedDashboard):
    def __init__(self) -> None:
        super().__init__()
        self.app = None
        self.history_reads: list[bool] = []

    def read_history(self, *args, **kwargs):
        self.history_reads.append(self.app.poller.first_frame_out)
        return super().read_history(*args, **kwargs)


@sync
async def test_store_and_alert_reads_wait_for_the_first_frame() -> None:
    settings = dash_data.settings()
    alerts, dashboard = RecordingAlerts(), RecordingDashboard()
    feeds = replace(dash_data.feeds(settings, dashboard), alerts=alerts)
    app = make_app(settings, feeds, clock=dash_data.clock)
    alerts.app = dashboard.app = app
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: alerts.reads and dashboard.history_reads, "the first reads")
    assert alerts.reads[0] is True and dashboard.history_reads[0] is True


def test_the_dashboard_s_modules_leave_plotext_for_the_first_chart() -> None:
    """plotext (and textual-plotext) load when the chart is first drawn, not with the screen."""
    code = (
        "import sys, console.tui.app, console.tui.screens.dashboard;"
        "print(sorted(m for m in ('plotext', 'textual_plotext', 'sqlalchemy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
