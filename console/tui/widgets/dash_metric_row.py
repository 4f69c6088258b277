"""One dashboard line: a label, a value coloured by its level, and the last hour as a sparkline."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Sparkline, Static

LEVELS = ("ok", "warning", "critical", "stale")


class MetricRow(Horizontal):
    """Label · value · sparkline. Updates repaint only the part whose content changed."""

    def __init__(self, label: str, *, id: str, spark: bool = True) -> None:
        super().__init__(id=id, classes="metric-row")
        self._label = label
        self._spark = spark
        self._text = ""
        self._level = "ok"
        self._series: tuple[float, ...] = ()
        self._value: Static | None = None  # looked up once

    def compose(self) -> ComposeResult:
        yield Static(Content(self._label), classes="metric-label")
        yield Static(Content("-"), classes="metric-value level-ok")
        if self._spark:
            yield Sparkline([], classes="metric-spark")

    def set_value(self, text: str, level: str = "ok") -> None:
        """Show `text` (plain, never markup) at `level` (ok / warning / critical / stale)."""
        if text == self._text and level == self._level:
            return
        value = self._value or self.query_one(".metric-value", Static)
        self._value = value
        if text != self._text:
            value.update(Content(text), layout=False)  # fixed size (.metric-value): no reflow
            self._text = text
        if level != self._level:
            value.remove_class(f"level-{self._level}")
            value.add_class(f"level-{level}")
            self._level = level

    def set_series(self, values: Sequence[float | None]) -> None:
        """The last hour; gaps are dropped (a sparkline has no holes)."""
        if not self._spark:
            return
        series = tuple(float(v) for v in values if v is not None)
        if series == self._series:
            return
        self._series = series
        self.query_one(Sparkline).data = list(series)
