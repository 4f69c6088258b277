"""The watched queues: depths, sparkline, trend, oldest age, and how each was recognised."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from console.tui.widgets.queue_format import age, num, sparkline, trend
from console.tui.widgets.queue_table import KeyedTable

if TYPE_CHECKING:
    from console.core.feeds.queues import QueueLine

MARK = {"ok": "", "warning": "!", "critical": "!!"}  # the level without colour (NO_COLOR)


class QueueDepthTable(KeyedTable):
    COLUMNS = (
        "queue",
        "kind",
        "pending",
        "sched",
        "reserved",
        "failed",
        "oldest",
        "trend",
        "last hour",
        "seen as",
    )

    def show(self, lines: Sequence[QueueLine]) -> None:
        rows = []
        for index, line in enumerate(lines):
            style = self.tone(line.level)
            name = Text(f"{line.name} {MARK[line.level]}".rstrip(), style=style)
            bad = self.tone("critical") if line.error else ""
            note = Text(line.error or line.origin, style=bad)
            cells = [
                name,
                Text(line.kind),
                Text("error", style=bad, justify="right")
                if line.error
                else Text(num(line.pending).plain, style=style, justify="right"),
                num(line.scheduled),
                num(line.reserved),
                num(line.failed),
                Text(age(line.oldest_age_s), justify="right"),
                Text(trend(line.trend)),
                Text(sparkline(line.history)),
                note,
            ]
            rows.append((f"{index}:{line.name}", line, cells))
        self.replace_rows(rows)
