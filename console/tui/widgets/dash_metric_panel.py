"""A dashboard panel of metric rows: values from the latest reading, sparklines from history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical

from console.core.settings import Settings
from console.tui.state.model import DashboardModel
from console.tui.widgets.dash_age import AgeLabel
from console.tui.widgets.dash_format import Fit
from console.tui.widgets.dash_metric_row import MetricRow


class MetricPanel(Vertical):
    """Subclasses name their rows (id -> label, sparkline series) and how to read values."""

    KIND: ClassVar[str]
    ENTRY: ClassVar[str]  # the cache entry it shows, as CacheReading names it ("perf")
    TITLE: ClassVar[str]
    ROWS: ClassVar[Mapping[str, tuple[str, str | None]]]

    def __init__(self) -> None:
        super().__init__(id=f"panel-{self.KIND}", classes="panel")
        self._rows: dict[str, MetricRow] = {}
        self.border_title = self.TITLE

    def compose(self) -> ComposeResult:
        yield AgeLabel(id=f"age-{self.KIND}")
        for row_id, (label, series) in self.ROWS.items():
            yield MetricRow(label, id=row_id, spark=series is not None)

    def reading(self, model: DashboardModel) -> Any:
        """The snapshot this panel shows (None when nothing was read yet)."""
        raise NotImplementedError

    def values(self, reading: Any, settings: Settings) -> dict[str, tuple[Fit, str]]:
        """row id -> (text or texts longest first, threshold level) for a snapshot."""
        raise NotImplementedError

    def show(self, model: DashboardModel, settings: Settings) -> None:
        """Values from the last good cache reading; history from the last history reading."""
        reading = self.reading(model)
        if not self._rows:  # looked up once: show runs on every new reading
            self._rows = {row_id: self.query_one(f"#{row_id}", MetricRow) for row_id in self.ROWS}
        age = self.query_one(AgeLabel)
        age.set_source(reading.ts if reading else None, model.panel_note(self.ENTRY), model.past)
        values = self.values(reading, settings) if reading else {}
        stale = age.stale or model.cache_down
        series = model.history.series if model.history else {}
        for row_id, (_label, metric) in self.ROWS.items():
            row = self._rows[row_id]
            text, lvl = values.get(row_id, ("-", "ok"))
            row.set_value(text, "stale" if stale and reading else lvl)
            if metric:
                row.set_series(series.get(metric, ()))
