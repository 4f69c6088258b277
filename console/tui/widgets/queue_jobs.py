"""Jobs of the instrumented consumers: tasks running now, and per-task statistics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from console.core.formatting import clock, millis, span
from console.tui.text import outside
from console.tui.widgets.queue_format import num
from console.tui.widgets.queue_table import KeyedTable

if TYPE_CHECKING:
    from console.core.queues.jobstats import InFlight, TaskStats


class InFlightTable(KeyedTable):
    COLUMNS = ("running task", "queue", "started", "age", "id")

    def show(self, rows: Sequence[InFlight], now: float, zone: str) -> None:
        table = []
        for row in rows:
            style = self.tone("warning") if row.overdue else ""
            cells = [
                outside(row.task + (" !" if row.overdue else ""), 200, style=style),
                outside(row.queue, 200),
                Text(clock(row.started, zone, now)),
                Text(span(row.age_s, precise=False), style=style, justify="right"),
                outside(row.task_id, 200),
            ]
            table.append((row.task_id, row, cells))
        self.replace_rows(table)


class TaskStatsTable(KeyedTable):
    COLUMNS = ("task (past hour)", "queue", "count", "errors", "avg", "p95")

    def show(self, rows: Sequence[TaskStats]) -> None:
        table = []
        for index, row in enumerate(rows):
            errors = Text(str(row.errors), style=self.tone("critical") if row.errors else "")
            errors.justify = "right"
            cells = [
                outside(row.task, 200),
                outside(row.queue, 200),
                num(row.count),
                errors,
                Text(millis(row.avg_ms), justify="right"),
                Text(millis(row.p95_ms), justify="right"),
            ]
            table.append((f"{index}:{row.queue}/{row.task}", row, cells))
        self.replace_rows(table)
