"""The watched queues: depths, sparkline, trend, oldest age, and how each was recognised."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from console.core.formatting import span, trend
from console.tui.text import outside
from console.tui.widgets.queue_format import num, sparkline
from console.tui.widgets.queue_table import KeyedTable

if TYPE_CHECKING:
    from console.core.feeds.queues import QueueLine

MARK = {"ok": "", "warning": "!", "critical": "!!"}  # the level without colour (NO_COLOR)
# Columns that do not fit the width are left out whole, least telling first: a column cut at
# the edge ("last" of "last hour", half a sparkline) says nothing.
DROP_ORDER = ("seen as", "last hour", "kind", "reserved", "oldest", "trend")
CELL_PADDING = 2  # DataTable pads each cell by one on either side
SCROLLBAR = 2


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

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines: Sequence[QueueLine] = ()
        self._shown: tuple[str, ...] = self.COLUMNS  # KeyedTable adds them all on mount

    def shows(self, column: str) -> bool:
        """Whether the column is on screen at this width."""
        return column in self._shown

    def on_resize(self) -> None:
        if self._lines:  # columns are fitted to values: none yet, nothing to fit
            self.show(self._lines)

    def show(self, lines: Sequence[QueueLine]) -> None:
        self._lines = lines
        rows = self._rows(lines)
        # the screen's width: the table spans it, and its own is 0 while its tab is hidden
        keep = _columns_that_fit([cells for _key, _line, cells in rows], self.app.size.width)
        if keep != self._shown:
            self._shown = keep
            self.clear(columns=True)
            self.add_columns(*keep)
        index = [self.COLUMNS.index(name) for name in keep]
        self.replace_rows([(key, line, [cells[i] for i in index]) for key, line, cells in rows])

    def _rows(self, lines: Sequence[QueueLine]) -> list[tuple[str, QueueLine, list[Text]]]:
        rows = []
        for index, line in enumerate(lines):
            style = self.tone(line.level)
            name = outside(f"{line.name} {MARK[line.level]}".rstrip(), 200, style=style)
            bad = self.tone("critical") if line.error else ""
            note = outside(line.error or line.origin, 500, style=bad)
            cells = [
                name,
                outside(line.kind, 60),
                Text("error", style=bad, justify="right")
                if line.error
                else Text(num(line.pending).plain, style=style, justify="right"),
                num(line.scheduled),
                num(line.reserved),
                num(line.failed),
                Text(span(line.oldest_age_s, precise=False), justify="right"),
                Text(trend(line.trend, amount=True)),
                Text(sparkline(line.history)),
                note,
            ]
            rows.append((f"{index}:{line.name}", line, cells))
        return rows


def _columns_that_fit(rows: list[list[Text]], room: int) -> tuple[str, ...]:
    """The columns to show in `room` cells: all, or without the least telling ones."""
    columns = QueueDepthTable.COLUMNS
    widths = {
        name: max([len(name)] + [row[i].cell_len for row in rows]) for i, name in enumerate(columns)
    }
    keep = list(columns)
    for name in DROP_ORDER:
        if room <= 0 or sum(widths[n] + CELL_PADDING for n in keep) + SCROLLBAR <= room:
            break
        keep.remove(name)
    return tuple(keep)
