"""Snapshots of the queues screen on fixed data at 80x24, 100x30 and 200x50."""

from __future__ import annotations

import pytest

from console.tui.widgets.queue_depths import QueueDepthTable
from tests.tui.queues_fixed import fixed_app


async def _loaded(pilot) -> None:
    for _ in range(50):
        await pilot.pause()
        if pilot.app.screen.query_one(QueueDepthTable).row_count:
            return
    raise AssertionError("the queues screen never showed its data")


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (200, 50)], ids=["80x24", "100x30", "200x50"]
)
def test_queues_tab(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(fixed_app(), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("tab", ["jobs", "failed", "periodic", "scheduled"])
def test_other_tabs_at_160x50(snap_compare, tab: str) -> None:
    async def show(pilot) -> None:
        await _loaded(pilot)
        pilot.app.screen.query_one("#queue-tabs").active = tab
        await pilot.pause()

    assert snap_compare(fixed_app(), terminal_size=(160, 50), run_before=show)


def test_failed_tab_at_80x24(snap_compare) -> None:
    async def show(pilot) -> None:
        await _loaded(pilot)
        pilot.app.screen.query_one("#queue-tabs").active = "failed"
        await pilot.pause()

    assert snap_compare(fixed_app(), terminal_size=(80, 24), run_before=show)
