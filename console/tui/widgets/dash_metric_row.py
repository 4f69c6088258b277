"""One dashboard line: a label, a value coloured by its level, and the last hour as a sparkline."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Sparkline, Static

LEVELS = ("ok", "warning", "critical", "stale")


def fitting(choices: tuple[str, ...], width: int) -> str:
    """The first (longest) choice that fits `width` cells; the last when none does."""
    if width <= 0:
        return choices[0]
    return next((c for c in choices if len(c) <= width), choices[-1])


class MetricRow(Horizontal):
    """Label · value · sparkline. Updates repaint only the part whose content changed."""

    def __init__(self, label: str, *, id: str, spark: bool = True) -> None:
        super().__init__(id=id, classes="metric-row")
        self._label = label
        self._spark = spark
        self._text = ""
        self._choices: tuple[str, ...] = ()
        self._level = "ok"
        self._series: tuple[float, ...] = ()
        self._value: Static | None = None  # looked up once

    def compose(self) -> ComposeResult:
        yield Static(Content(self._label), classes="metric-label")
        yield Static(Content("-"), classes="metric-value level-ok")
        if self._spark:
            yield Sparkline([], classes="metric-spark")

    def set_value(self, text: str | tuple[str, ...], level: str = "ok") -> None:
        """Show `text` (plain, never markup) at `level` (ok / warning / critical / stale).

        A tuple gives the same value from longest to shortest: the longest that fits the
        value's width is shown whole, never a long one cut mid-number."""
        choices = (text,) if isinstance(text, str) else tuple(text)
        if choices == self._choices and level == self._level:
            return
        self._choices = choices
        value = self._value or self.query_one(".metric-value", Static)
        self._value = value
        self._show(fitting(choices, value.size.width))
        if level != self._level:
            value.remove_class(f"level-{self._level}")
            value.add_class(f"level-{level}")
            self._level = level

    def _show(self, text: str) -> None:
        if text != self._text and self._value is not None:
            self._value.update(Content(text), layout=False)  # fixed size: no reflow
            self._text = text

    def on_resize(self) -> None:
        self.call_after_refresh(self._refit)  # once the value has its new width

    def _refit(self) -> None:
        if self._value is not None and self._choices:
            self._show(fitting(self._choices, self._value.size.width))

    def set_series(self, values: Sequence[float | None]) -> None:
        """The last hour; gaps are dropped (a sparkline has no holes)."""
        if not self._spark:
            return
        series = tuple(float(v) for v in values if v is not None)
        if series == self._series:
            return
        self._series = series
        self.query_one(Sparkline).data = list(series)
