"""Jobs of the instrumented consumers: tasks running now, and per-task statistics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from console.tui.widgets.queue_format import age, clock, duration, num
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
                Text(row.task + (" !" if row.overdue else ""), style=style),
                Text(row.queue),
                Text(clock(row.started, zone, now)),
                Text(age(row.age_s), style=style, justify="right"),
                Text(row.task_id),
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
                Text(row.task),
                Text(row.queue),
                num(row.count),
                errors,
                Text(duration(row.avg_ms), justify="right"),
                Text(duration(row.p95_ms), justify="right"),
            ]
            table.append((f"{index}:{row.queue}/{row.task}", row, cells))
        self.replace_rows(table)
