"""The history chart: restarts, FATALs and deploys as markers with a legend and a list under
the chart; a time without rows is a gap, never a line across it."""

from __future__ import annotations

import dataclasses

import pytest
from textual_plotext import PlotextPlot

from console.core.events.markers import DEPLOY, FATAL, RESTART, SUPERVISORD, Marker
from console.core.feeds.dashboard import ChartReading
from console.core.metrics import Point
from console.tui.app import make_app
from console.tui.widgets.chart_panel import ChartPanel
from tests.support.screen import screen_text
from tests.support.waits import sync, until
from tests.tui import dash_data
from tests.tui.test_dashboard_pilot import fixed_app
from tests.tui.test_dashboard_snapshots import _settle

NOW = dash_data.NOW
GAP = (NOW - 2400, NOW - 1200)  # twenty minutes without rows (the worker was down)
MARKERS = (
    Marker(NOW - 3000, RESTART, "shop:payments"),
    Marker(NOW - 2900, RESTART, "shop:payments"),
    Marker(NOW - 2800, FATAL, "shop:payments"),
    Marker(NOW - 600, DEPLOY, "shop added"),
)


class GapDashboard(dash_data.FixedDashboard):
    def read_chart(
        self, host: str, metric: str, span_s: int, points: int, as_of: float | None = None
    ) -> ChartReading:
        pts = tuple(
            Point(ts, None if GAP[0] < ts < GAP[1] else 10.0 + (i % 7))
            for i, ts in enumerate(range(int(NOW - 3600), int(NOW), 60))
        )
        return ChartReading(True, "", metric, host, span_s, NOW, pts, markers=MARKERS)


@sync
async def test_markers_legend_list_and_gap() -> None:
    app = fixed_app(GapDashboard())
    async with app.run_test(size=(160, 50)) as pilot:
        await until(pilot, lambda: "restarts 2 (shop:payments ×2)" in screen_text(app))
        text = screen_text(app)
        assert "FATAL shop:payments" in text and "deploy shop added" in text
        assert "no data " in text  # the gap is listed too
        assert "restart" in text.split("restarts 2")[0]  # the legend, inside the plot
        plot = app.screen.query_one(ChartPanel).query_one(PlotextPlot)
        gap = [(t - NOW) / 60 for t in GAP]
        lines = [xs for xs in plot.plt.monitor.x if len(xs) > 4]  # the series' runs
        assert len(lines) == 2
        assert all(max(xs) <= gap[0] or min(xs) >= gap[1] for xs in lines)


BUSY = (  # a morning as the demo has it: many restarts, a FATAL, a deploy, supervisord
    *(Marker(NOW - 3300 + 60 * i, RESTART, "payments:payments") for i in range(3)),
    *(Marker(NOW - 3000 + 60 * i, RESTART, "stackwatch-worker") for i in range(2)),
    Marker(NOW - 2900, RESTART, "shop:web"),
    Marker(NOW - 2800, FATAL, "shop:web"),
    Marker(NOW - 900, DEPLOY, "shop added"),
    Marker(NOW - 600, SUPERVISORD, "RUNNING"),
)


class BusyDashboard(GapDashboard):
    def read_chart(self, *args, **kwargs) -> ChartReading:
        reading = super().read_chart(*args, **kwargs)
        return dataclasses.replace(reading, markers=BUSY)


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (200, 50)], ids=["80x24", "100x30", "200x50"]
)
def test_the_marker_line_fits_each_width(snap_compare, size: tuple[int, int]) -> None:
    settings = dash_data.settings()
    feeds = dash_data.feeds(settings, BusyDashboard())
    app = make_app(settings, feeds, clock=dash_data.clock)
    assert snap_compare(app, terminal_size=size, run_before=_settle)
