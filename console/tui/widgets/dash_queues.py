"""Queue stats: each watched queue's pending, scheduled, reserved, failed and trend."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from console.core.formatting import change, trend
from console.core.metrics import QueueDepth
from console.core.sanitize import clean, first_line
from console.core.settings import Settings, Threshold
from console.tui.state.model import DashboardModel
from console.tui.widgets.dash_age import AgeLabel
from console.tui.widgets.dash_format import level

# `held failed`: failures kept until retried or deleted, not the Performance panel's fail/min
COLUMNS = ("queue", "pending", "sched", "reserved", "held failed", "trend")
DROP_ORDER = ("reserved", "sched", "trend")  # what a narrow panel leaves out, first to last
MARKS = {"ok": "", "warning": "!", "critical": "!!"}


class QueueTable(Static):
    """A read-only table drawn as text: a DataTable re-renders every cell on any change and
    cost a fifth of the dashboard's CPU. Colours come from the component classes in app.tcss."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue--header",
        "queue--warning",
        "queue--critical",
        "queue--stale",
    }

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, markup=False)
        self._lines = 0
        self._last: list[tuple[Text, ...]] = []

    def on_mount(self) -> None:
        self.show_rows([])

    def show_rows(self, rows: list[tuple[Text, ...]]) -> None:
        """The header and one line per queue; a layout pass only when the line count changes.
        Columns that do not fit are left out whole, least important first (DROP_ORDER)."""
        self._last = rows
        header = tuple(Text(c) for c in COLUMNS)
        widths = [max(t.cell_len for t in column) for column in zip(header, *rows, strict=True)]
        keep = _columns_that_fit(widths, self.size.width)
        head_style = self.get_component_rich_style("queue--header", partial=True)
        lines = [_line(_pick(header, keep), _pick(widths, keep), head_style)]
        lines += [_line(_pick(r, keep), _pick(widths, keep)) for r in rows]
        self.update(Text("\n").join(lines), layout=len(lines) != self._lines)
        self._lines = len(lines)

    def on_resize(self) -> None:
        self.show_rows(self._last)


def _columns_that_fit(widths: list[int], room: int) -> list[int]:
    """Indexes of the columns to show in `room` cells (each padded by one a side)."""
    keep = list(range(len(widths)))
    for name in DROP_ORDER:
        if room <= 0 or sum(widths[i] + 2 for i in keep) <= room:
            break
        keep.remove(COLUMNS.index(name))
    return keep


def _pick(values, keep: list[int]) -> tuple:
    return tuple(values[i] for i in keep)


def _line(cells: tuple[Text, ...], widths: list[int], style: Style | str = "") -> Text:
    """Cells padded by one space each side, justified in their column, as DataTable did."""
    line = Text(style=style, no_wrap=True, overflow="ellipsis", end="")
    for cell, width in zip(cells, widths, strict=True):
        room = width - cell.cell_len
        left = room if cell.justify == "right" else room // 2 if cell.justify == "center" else 0
        line.append(" " * (left + 1))
        line.append_text(cell)
        line.append(" " * (room - left + 1))
    return line


def _pending_threshold(spec_warning: int | None, spec_critical: int | None, s: Settings):
    base = s.threshold("queue_pending")
    return Threshold(
        float(spec_warning if spec_warning is not None else base.warning),
        float(spec_critical if spec_critical is not None else base.critical),
    )


def _signature(rows: dict[str, tuple[Text, ...]]) -> list:
    # rich's Text equality ignores the base style; the level lives there.
    return [(k, [(t.plain, str(t.style)) for t in cells]) for k, cells in rows.items()]


class QueuePanel(Vertical):
    """The Queue stats widget."""

    def __init__(self) -> None:
        super().__init__(id="panel-queues", classes="panel")
        self.border_title = "Queue stats"
        self._rows: dict[str, tuple[Text, ...]] = {}

    def compose(self) -> ComposeResult:
        yield AgeLabel(id="age-queues")
        yield QueueTable(id="queue-table")

    def _cell(self, table: QueueTable, value: int | None, lvl: str, stale: bool) -> Text:
        text = "-" if value is None else f"{value}{MARKS[lvl]}"
        name = "queue--stale" if stale else (f"queue--{lvl}" if lvl != "ok" else "")
        style = table.get_component_rich_style(name, partial=True) if name else ""
        return Text(text, style=style, justify="right")

    def _cells(self, q: QueueDepth, series: tuple, s: Settings, stale: bool) -> tuple[Text, ...]:
        table = self.query_one(QueueTable)
        spec = next((x for x in s.queues if x.name == q.name), None)
        pend = _pending_threshold(spec and spec.warning, spec and spec.critical, s)
        name = Text(clean(q.name, 60))
        if q.error:
            name.append(f" ({first_line(q.error, 60)})")
        return (
            name,
            self._cell(table, q.pending, level(pend, q.pending), stale),
            self._cell(table, q.scheduled, "ok", stale),
            self._cell(table, q.reserved, "ok", stale),
            self._cell(table, q.failed, level(s.threshold("queue_failed"), q.failed), stale),
            Text(trend(change(series)), justify="center"),
        )

    def show(self, model: DashboardModel, settings: Settings) -> None:
        snapshot = model.cache.queues if model.cache else None
        age = self.query_one(AgeLabel)
        age.set_source(snapshot.ts if snapshot else None, model.panel_note("queue"), model.past)
        stale = age.stale or model.cache_down
        series = model.history.series if model.history else {}
        hidden = {spec.name for spec in settings.queues if spec.hidden}
        rows = {
            q.name: self._cells(q, series.get(f"queue.{q.name}.pending", ()), settings, stale)
            for q in (snapshot.queues if snapshot else ())
            if q.name not in hidden
        }
        self._apply(rows)

    def _apply(self, rows: dict[str, tuple[Text, ...]]) -> None:
        """Redraw only when a cell's text or level changed."""
        if _signature(rows) == _signature(self._rows):
            return
        self.query_one(QueueTable).show_rows(list(rows.values()))
        self._rows = rows
