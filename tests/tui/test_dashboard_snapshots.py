"""Dashboard screenshots at 80x24, 100x30 and 200x50: with data, with no data yet, all down.

Deterministic: a fixed clock, a fixed host name, fixed readings (tests/tui/dash_data.py).
"""

from __future__ import annotations

import pytest

from console.tui.app import make_app
from tests.tui import dash_data

CASES = {
    "data": {},
    "empty": {"with_data": False},
    "down": {"down": True},
}


async def _settle(pilot) -> None:
    app = pilot.app
    for _ in range(50):  # until every source answered and the chart was drawn
        await pilot.pause(0.05)
        if all(s.status != "unknown" for s in app.model.states[:-1]) and not app.workers:
            break
    await pilot.pause(0.1)


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (200, 50)], ids=["80x24", "100x30", "200x50"]
)
@pytest.mark.parametrize("case", list(CASES))
def test_dashboard(snap_compare, case: str, size: tuple[int, int]) -> None:
    settings = dash_data.settings()
    feeds = dash_data.feeds(settings, dash_data.FixedDashboard(**CASES[case]))
    app = make_app(settings, feeds, clock=dash_data.clock)
    assert snap_compare(app, terminal_size=size, run_before=_settle)
