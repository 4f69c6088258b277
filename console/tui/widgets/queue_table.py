"""A DataTable whose rows are replaced on each poll while the cursor stays on the same key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist


class KeyedTable(DataTable):
    """Rows are (key, cells); cells are Text (never str: str cells would parse markup)."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.items: dict[str, Any] = {}

    def on_mount(self) -> None:
        self.add_columns(*self.COLUMNS)

    def tone(self, level: str) -> str:
        """A style from the theme for a level (ok, warning, critical): no colours in Python."""
        theme = self.app.current_theme
        return {"warning": theme.warning, "critical": theme.error}.get(level) or ""

    def replace_rows(self, rows: Sequence[tuple[str, Any, Sequence[Text]]]) -> None:
        """Rows as (key, item, cells); keeps the cursor on the same key when it is still there."""
        current = self.selected_key()
        self.clear()
        self.items = {}
        for key, item, cells in rows:
            self.items[key] = item
            self.add_row(*cells, key=key)
        if current is not None:
            try:
                self.move_cursor(row=self.get_row_index(current), animate=False)
            except RowDoesNotExist:
                pass

    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:  # the cursor points past the rows
            return None
        return key.value

    def selected(self) -> Any:
        """The item under the cursor, or None."""
        key = self.selected_key()
        return self.items.get(key) if key is not None else None
