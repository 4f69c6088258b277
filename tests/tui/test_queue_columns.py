"""The queue table shows whole columns only; a queue's error reason stays on screen at every
width (in its column when that fits, else in the status line)."""

from __future__ import annotations

import pytest

from console.tui.widgets.queue_depths import QueueDepthTable
from tests.support.screen import screen_text
from tests.support.waits import sync, until
from tests.tui.queues_fixed import fixed_app

REASON = "key [red]x[/red] does not exist"  # outside text, shown as text


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (200, 50)], ids=["80", "100", "200"])
@sync
async def test_the_error_reason_is_whole_at_every_width(size: tuple[int, int]) -> None:
    app = fixed_app()
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.screen.query_one(QueueDepthTable).row_count)
        await until(pilot, lambda: REASON in screen_text(app), "the reason on screen")
        table = app.screen.query_one(QueueDepthTable)
        header = [str(column.label) for column in table.columns.values()]
        assert ("seen as" in header) == (size[0] >= 200)
        assert "last" not in header or "last hour" in header  # never a column cut in two
