"""The processes table: rows from `process_rows`, coloured by CSS component classes, in the
columns `process_layout` picks for the width (re-picked when the width changes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.widgets import DataTable

from console.tui.text import outside
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
        # rows changed while off screen: key -> the Row the table still draws (drawn on scroll)
        self._stale: dict[str, Row] = {}

    def on_mount(self) -> None:
        self._lay_out(self.app.size.width)

    def on_resize(self) -> None:
        self._lay_out(self.app.size.width)
        self._draw_stale()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._draw_stale()

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
        values = cells_for(row, self._columns, self._brief)
        return [self._cell(row, i, value) for i, value in enumerate(values)]

    def _cell(self, row: Row, index: int, value: str) -> Text:
        """One cell as text; State (and a group's name) carry the row's colour."""
        cell = outside(value, 500)
        if index == 1 or (index == 0 and row.kind == "group"):
            cell.stylize(self.get_component_rich_style(f"process-table--{row.kind}", partial=True))
        return cell

    def show_rows(self, rows: Sequence[Row]) -> None:
        """Replace the content; keeps the cursor on the same program when it is still there.
        The same rows again: only the cells whose text or colour changed are touched."""
        old = self._rows
        if [r.key for r in old] == [r.key for r in rows]:
            labels = [label for label, _cells in self._columns]
            visible = self._visible()
            for index, (before, after) in enumerate(zip(old, rows, strict=True)):
                if before == after:
                    continue
                drawn = self._stale.pop(after.key, before)
                if index in visible:
                    self._update_row(drawn, after, labels)
                else:  # 1000 uptimes tick: only the rows on screen are redrawn now
                    self._stale[after.key] = drawn
            self._rows = list(rows)
            return
        current = self.current_row()
        self._stale.clear()
        self.clear()
        for row in rows:
            self.add_row(*self._cells(row), key=row.key)
        self._rows = list(rows)
        keys = [r.key for r in rows]
        if current is not None and current.key in keys:
            self.move_cursor(row=keys.index(current.key), animate=False)

    def _visible(self) -> range:
        """Row indexes on screen, with a page either side for a quick scroll."""
        top, page = int(self.scroll_y), max(self.size.height, 10)
        return range(max(0, top - page), top + 2 * page)

    def _draw_stale(self) -> None:
        if not self._stale:
            return
        labels = [label for label, _cells in self._columns]
        rows = self._rows
        for index in self._visible():
            if index >= len(rows):
                break
            drawn = self._stale.pop(rows[index].key, None)
            if drawn is not None:
                self._update_row(drawn, rows[index], labels)

    def _update_row(self, before: Row, after: Row, labels: list[str]) -> None:
        was = cells_for(before, self._columns, self._brief)
        now = cells_for(after, self._columns, self._brief)
        recolour = before.kind != after.kind
        for index, (label, old, new) in enumerate(zip(labels, was, now, strict=True)):
            if old != new or (recolour and index <= 1):
                self.update_cell(after.key, label, self._cell(after, index, new))

    def current_row(self) -> Row | None:
        """The Row under the cursor (None when the table is empty)."""
        if not self._rows or not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row]

    @property
    def rows_shown(self) -> list[Row]:
        return list(self._rows)
