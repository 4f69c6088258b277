"""huey tasks waiting for their eta; revoked ones are marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from console.core.formatting import clock
from console.tui.text import outside
from console.tui.widgets.queue_table import KeyedTable

if TYPE_CHECKING:
    from console.core.queues.huey_tasks import ScheduledTask


class ScheduledTable(KeyedTable):
    COLUMNS = ("eta", "queue", "task", "arguments", "state", "id")

    def show(self, rows: Sequence[ScheduledTask], now: float, zone: str) -> None:
        table = []
        for row in rows:
            state = Text("revoked", style=self.tone("warning")) if row.revoked else Text("waiting")
            cells = [
                Text(clock(row.eta, zone, now)),
                outside(row.queue, 200),
                outside(row.task, 200),
                outside(row.args, 500),
                state,
                outside(row.task_id, 200),
            ]
            table.append((f"{row.queue}/{row.task_id}", row, cells))
        self.replace_rows(table)
