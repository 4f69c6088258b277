"""Snapshots of the time cursor at 80x24: its input with a refused time, and the dashboard
at a cursor (header `AT …`, panels saying which stored rows answered). Fixed data and clock."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Input, Static

from console.tui.app import make_app
from console.tui.screens.cursor_input import CursorInput
from tests.support.waits import until
from tests.tui import dash_data

AT = dash_data.NOW - 2 * 3600 - 17 * 60


class PastDashboard(dash_data.FixedDashboard):
    """The fixed readings, answered as the store's at `as_of`."""

    def read_cache(self, host, as_of=None):
        reading = super().read_cache(host)
        if as_of is None:
            return reading
        notes = {"health": "stored minute", "queue": "stored minute", "perf": "stored 5-min row"}
        moved = {"ts": as_of - 30}
        return replace(
            reading,
            health=replace(reading.health, **moved),
            queues=replace(reading.queues, **moved),
            performance=replace(reading.performance, ts=as_of - 200),
            as_of=as_of,
            note="stored minute",
            notes=notes,
        )

    def read_history(self, host, metrics, points, as_of=None):
        return replace(super().read_history(host, metrics, points), as_of=as_of)

    def read_chart(self, host, metric, span_s, points, as_of=None):
        reading = super().read_chart(host, metric, span_s, points)
        if as_of is None:
            return reading
        back = dash_data.NOW - as_of  # the same curve, ending at the cursor
        moved = tuple(replace(p, ts=p.ts - back) for p in reading.points)
        return replace(reading, points=moved, as_of=as_of)


def _app():
    settings = dash_data.settings()
    feeds = dash_data.feeds(settings, PastDashboard())
    return make_app(settings, feeds, clock=dash_data.clock)


async def _quiet(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: all(s.status != "unknown" for s in app.model.states[:-1]))
    await until(pilot, lambda: not app.workers, "the polls to return")


def test_input_with_a_refused_time(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _quiet(pilot)
        await pilot.press("at")
        await until(pilot, lambda: isinstance(pilot.app.screen, CursorInput), "the input")
        pilot.app.screen.query_one(Input).value = "tomorrow 9:00"
        await pilot.press("enter")
        error = pilot.app.screen.query_one("#cursor-error", Static)
        await until(pilot, lambda: "not a time" in str(error.render()), "the error")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)


def test_dashboard_at_a_cursor(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _quiet(pilot)
        pilot.app.set_cursor(AT)
        await until(pilot, lambda: pilot.app.shown_model().past, "the past values")
        await until(pilot, lambda: not pilot.app.workers, "the chart")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)
