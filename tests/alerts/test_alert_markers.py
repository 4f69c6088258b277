"""Alerts firing are markers on the history chart: from the alert history (store) or the
states kept in the cache, in the line under the chart and the plot's legend."""

from __future__ import annotations

import dataclasses

from console.core.alerts.model import FIRING, RESOLVED, AlertState
from console.core.events.marker_line import fit, groups
from console.core.events.markers import (
    ALERT,
    FATAL,
    Marker,
    alert_markers,
    state_markers,
    with_alerts,
)
from console.core.feeds.dashboard_past import past_chart
from console.core.store.alert_history import HistoryEntry, record
from console.core.store.engine import make_engine, upgrade
from console.tui.widgets.chart_panel import ChartPanel
from tests.support.screen import screen_text
from tests.support.waits import sync, until
from tests.tui import dash_data
from tests.tui.test_chart_markers import GapDashboard
from tests.tui.test_dashboard_pilot import fixed_app

NOW = dash_data.NOW


def entry(ts: float, event: str, rule: str = "program_fatal", subject: str = "web:web"):
    return HistoryEntry(ts, "fp", rule, subject, event, "web:web is FATAL")


def test_only_firings_in_the_range_are_markers() -> None:
    history = [
        entry(NOW - 100, "firing"),
        entry(NOW - 90, "resolved"),
        entry(NOW - 80, "silenced", "cpu_high", "cpu_percent"),
        entry(NOW - 7200, "firing"),
        entry(NOW - 50, "failed"),
    ]
    found = alert_markers(history, NOW - 3600, NOW)
    assert found == (
        Marker(NOW - 100, ALERT, "program_fatal web:web"),
        Marker(NOW - 80, ALERT, "cpu_high cpu_percent"),
    )


def test_the_cached_states_give_each_alerts_last_firing() -> None:
    states = [
        AlertState("a", "program_fatal", "web:web", FIRING, NOW - 300, fired_at=NOW - 200),
        AlertState("b", "queue_pending", "default", RESOLVED, NOW - 900, fired_at=NOW - 800),
        AlertState("c", "cpu_high", "cpu_percent", "pending", NOW - 10),
    ]
    found = state_markers(states, NOW - 3600, NOW)
    assert [m.label for m in found] == ["queue_pending default", "program_fatal web:web"]


def test_the_line_names_alerts_after_fatals() -> None:
    marks = with_alerts(
        (Marker(NOW - 500, FATAL, "web:web"),),
        (Marker(NOW - 400, ALERT, "program_fatal web:web"),),
    )
    line = fit(groups(marks), 200)
    assert line.startswith("FATAL web ") and " · alert program_fatal web " in line
    assert fit(groups(marks), 20) == "FATAL ×1 · alert ×1"


def test_a_past_chart_marks_the_alerts_of_its_range(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sw.db'}")
    upgrade(engine)
    record(engine, "h", [entry(NOW - 600, "firing"), entry(NOW - 60, "firing", "cpu_high", "")])
    reading = past_chart(engine, "h", "health.cpu_percent", 3600, 60, NOW - 300, NOW)
    assert reading.ok
    assert [(m.kind, m.label) for m in reading.markers] == [(ALERT, "program_fatal web:web")]


class AlertDashboard(GapDashboard):
    def read_chart(self, *args, **kwargs):
        reading = super().read_chart(*args, **kwargs)
        alert = Marker(NOW - 1000, ALERT, "program_fatal shop:payments")
        return dataclasses.replace(reading, markers=with_alerts(reading.markers, (alert,)))


@sync
async def test_the_chart_shows_an_alert_marker_with_its_legend() -> None:
    app = fixed_app(AlertDashboard())
    async with app.run_test(size=(160, 50)) as pilot:
        await until(pilot, lambda: "alert program_fatal shop:payments" in screen_text(app))
        plot = app.screen.query_one(ChartPanel)
        assert "alert" in screen_text(app).split("restarts 2")[0]  # the legend in the plot
        assert plot is not None
