"""The periodic job ledger: schedule, last run, duration, outcome, next run, MISSED."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from console.tui.widgets.queue_format import clock, duration
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
                Text(row.task),
                Text(row.source),
                Text(row.schedule),
                Text(clock(row.last_run, zone, now)),
                Text(duration(row.duration_ms), justify="right"),
                Text(outcome, style=self.tone("critical") if bad else ""),
                Text(clock(row.next_run, zone, now)),
                Text("MISSED", style=self.tone("critical")) if row.missed else Text(""),
            ]
            table.append((f"{row.source}/{row.task}", row, cells))
        self.replace_rows(table)
