"""Queue stats: each watched queue's pending, scheduled, reserved, failed and trend."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable

from console.core.metrics import QueueDepth
from console.core.sanitize import clean, first_line
from console.core.settings import Settings, Threshold
from console.tui.widgets.dash_age import AgeLabel
from console.tui.widgets.dash_format import level, trend
from console.tui.widgets.status_model import DashboardModel

COLUMNS = ("queue", "pending", "sched", "reserved", "failed", "trend")
MARKS = {"ok": "", "warning": "!", "critical": "!!"}


class QueueTable(DataTable):
    """A read-only table; threshold colours come from the component classes in app.tcss."""

    COMPONENT_CLASSES = DataTable.COMPONENT_CLASSES | {
        "queue--warning",
        "queue--critical",
        "queue--stale",
    }
    can_focus = False


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
        table = QueueTable(id="queue-table", cursor_type="none", zebra_stripes=False)
        table.add_columns(*COLUMNS)
        yield table

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
            Text(trend(series), justify="center"),
        )

    def show(self, model: DashboardModel, settings: Settings) -> None:
        snapshot = model.cache.queues if model.cache else None
        age = self.query_one(AgeLabel)
        age.set_source(snapshot.ts if snapshot else None, "cache down" if model.cache_down else "")
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
        """Touch only rows and cells that changed (a full clear repaints the whole table)."""
        if _signature(rows) == _signature(self._rows):
            return
        table = self.query_one(QueueTable)
        if list(rows) != list(self._rows):
            table.clear()
            for key, cells in rows.items():
                table.add_row(*cells, key=key)
        else:
            for key, cells in rows.items():
                for column, (old, new) in enumerate(zip(self._rows[key], cells, strict=True)):
                    if (old.plain, str(old.style)) != (new.plain, str(new.style)):
                        table.update_cell_at((table.get_row_index(key), column), new)
        self._rows = rows
