"""The processes table: rows from `process_rows`, coloured by CSS component classes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.widgets import DataTable

from console.tui.text import outside
from console.tui.widgets.process_rows import COLUMNS, WIDTHS, Row


class ProcessTable(DataTable):
    """Updates cells in place when the row set is unchanged, so the cursor never jumps."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "process-table--running",
        "process-table--transition",
        "process-table--stopped",
        "process-table--failed",
        "process-table--group",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._rows: list[Row] = []

    def on_mount(self) -> None:
        for label, width in zip(COLUMNS, WIDTHS, strict=True):
            self.add_column(label, key=label, width=width)

    def _cells(self, row: Row) -> list[Text]:
        style = self.get_component_rich_style(f"process-table--{row.kind}", partial=True)
        cells = [outside(value, 500) for value in row.cells]
        cells[1].stylize(style)
        if row.kind == "group":
            cells[0].stylize(style)
        return cells

    def show_rows(self, rows: Sequence[Row]) -> None:
        """Replace the content; keeps the cursor on the same program when it is still there."""
        old = self._rows
        if [r.key for r in old] == [r.key for r in rows]:
            for before, after in zip(old, rows, strict=True):
                if before != after:
                    for column, value in zip(COLUMNS, self._cells(after), strict=True):
                        self.update_cell(after.key, column, value)
            self._rows = list(rows)
            return
        current = self.current_row()
        self.clear()
        for row in rows:
            self.add_row(*self._cells(row), key=row.key)
        self._rows = list(rows)
        keys = [r.key for r in rows]
        if current is not None and current.key in keys:
            self.move_cursor(row=keys.index(current.key), animate=False)

    def current_row(self) -> Row | None:
        """The Row under the cursor (None when the table is empty)."""
        if not self._rows or not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row]

    @property
    def rows_shown(self) -> list[Row]:
        return list(self._rows)
