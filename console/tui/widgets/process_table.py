"""The processes table: rows from `process_rows`, coloured by CSS component classes, in the
columns `process_layout` picks for the width (re-picked when the width changes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.widgets import DataTable

from console.tui.widgets.process_layout import cells_for, layout_for
from console.tui.widgets.process_rows import Row


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
        self._columns: tuple[tuple[str, int], ...] = ()
        self._brief = True

    def on_mount(self) -> None:
        self._lay_out(self.app.size.width)

    def on_resize(self) -> None:
        self._lay_out(self.app.size.width)

    def _lay_out(self, width: int) -> None:
        """Columns for `width`; rows are drawn again only when they change."""
        layout = layout_for(width)
        columns = layout.widths(width)
        if columns == self._columns:
            return
        self._columns, self._brief = columns, layout.brief
        rows, self._rows = self._rows, []
        current = self.cursor_row
        self.clear(columns=True)
        for label, cells in columns:
            self.add_column(label, key=label, width=cells)
        if rows:
            self.show_rows(rows)
            self.move_cursor(row=min(current, len(rows) - 1), animate=False)

    def _cells(self, row: Row) -> list[Text]:
        style = self.get_component_rich_style(f"process-table--{row.kind}", partial=True)
        cells = [Text(value) for value in cells_for(row, self._columns, self._brief)]
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
                    labels = (label for label, _cells in self._columns)
                    for column, value in zip(labels, self._cells(after), strict=True):
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
