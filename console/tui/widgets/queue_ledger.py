"""The periodic job ledger: schedule, last run, duration, outcome, next run, MISSED."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from console.core.formatting import clock, millis
from console.tui.text import outside
from console.tui.widgets.queue_table import KeyedTable

if TYPE_CHECKING:
    from console.core.periodic import LedgerRow


class LedgerTable(KeyedTable):
    COLUMNS = ("periodic task", "from", "schedule", "last run", "took", "outcome", "next run", "")

    def show(self, rows: Sequence[LedgerRow], now: float, zone: str) -> None:
        table = []
        for row in rows:
            bad = row.outcome not in (None, "ok", "locked")
            outcome = row.outcome or "never"
            if row.error:
                outcome = f"{outcome}: {row.error}"
            cells = [
                outside(row.task, 200),
                outside(row.source, 200),
                outside(row.schedule, 200),
                Text(clock(row.last_run, zone, now)),
                Text(millis(row.duration_ms), justify="right"),
                outside(outcome, 500, style=self.tone("critical") if bad else ""),
                Text(clock(row.next_run, zone, now)),
                Text("MISSED", style=self.tone("critical")) if row.missed else Text(""),
            ]
            table.append((f"{row.source}/{row.task}", row, cells))
        self.replace_rows(table)
