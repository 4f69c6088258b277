"""Failed jobs: time, queue, task, exception (first line), retries; enter shows the traceback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from console.core.formatting import clock
from console.tui.text import outside
from console.tui.widgets.queue_table import KeyedTable

if TYPE_CHECKING:
    from console.core.queues.failures import Failure


class FailureTable(KeyedTable):
    COLUMNS = ("time", "queue", "task", "exception", "retries", "retry")

    def show(self, rows: Sequence[Failure], now: float, zone: str) -> None:
        table = []
        for index, row in enumerate(rows):
            key = f"id:{row.id}" if row.id is not None else f"wait:{index}:{row.task_id}"
            cells = [
                Text(clock(row.ts, zone, now)),
                outside(row.queue, 200),
                outside(row.task, 200),
                outside(row.exception, 500, style=self.tone("critical")),
                Text(str(row.retries), justify="right"),
                Text("yes" if row.retryable else "no"),
            ]
            table.append((key, row, cells))
        self.replace_rows(table)
