"""The dashboard: Performance, Queue stats, System health, and a history chart."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer

from console.core.feeds.dashboard import ChartReading
from console.tui.dash_choices import CHART_RANGES, SPARK_METRICS, range_name
from console.tui.failures import guarded
from console.tui.state.model import DashboardModel
from console.tui.widgets.chart_panel import ChartPanel
from console.tui.widgets.dash_age import AgeLabel
from console.tui.widgets.dash_health import HealthPanel
from console.tui.widgets.dash_performance import PerformancePanel
from console.tui.widgets.dash_queues import QueuePanel
from console.tui.widgets.header_bar import HeaderBar
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.status_banner import StatusBanner

WIDE_AT = 140  # columns from which the three panels sit side by side above a wide chart
CHART_REFRESH_S = 60.0
RANGES = tuple(CHART_RANGES)


class DashboardScreen(Screen):
    """Reads the app's model; never does I/O itself (the chart asks the app's poller)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "series(1)", "Series", id="dashboard.series_next"),
        Binding("k,up", "series(-1)", "Prev series", id="dashboard.series_prev", show=False),
        Binding("g,home", "series_at(0)", "First series", id="dashboard.series_first", show=False),
        Binding("G,end", "series_at(-1)", "Last series", id="dashboard.series_last", show=False),
        Binding("right_square_bracket", "range(1)", "Range", id="dashboard.range_next"),
        Binding(
            "left_square_bracket", "range(-1)", "Prev range", id="dashboard.range_prev", show=False
        ),
        Binding("h", "next_host", "Host", id="dashboard.host", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.series_index = 0
        self.range_name = "1h"
        self._chart_asked: tuple[str, str, str, float] | None = None
        self._ages: list[AgeLabel] = []
        self._panels: list[PerformancePanel | HealthPanel | QueuePanel] = []

    def compose(self) -> ComposeResult:
        # Pick the layout before the first frame: switching it after costs a second layout.
        self.set_class(self.app.size.width >= WIDE_AT, "-wide")
        with Vertical(id="dash-top"):
            yield HeaderBar(id="header-bar")
            yield StatusBanner()
        with Grid(id="dash-grid"):
            yield PerformancePanel()
            yield HealthPanel()
            yield QueuePanel()
            yield ChartPanel(self.app.settings.collect_interval)  # type: ignore[attr-defined]
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        app = self.app
        app.model_signal.subscribe(self, self.show)  # type: ignore[attr-defined]
        app.tick_signal.subscribe(self, self.tick)  # type: ignore[attr-defined]
        app.chart_signal.subscribe(self, self.show_chart)  # type: ignore[attr-defined]
        app.cursor_signal.subscribe(self, lambda _at: self.ask_chart())  # type: ignore[attr-defined]
        self.show(app.shown_model())  # type: ignore[attr-defined]
        self.tick(app.clock())  # type: ignore[attr-defined]
        self.call_after_refresh(self.ask_chart)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE_AT, "-wide")
        # At 80 columns the palette hint would push `? Help` off the footer; `?` lists ctrl+p.
        self.query_one(Footer).show_command_palette = event.size.width >= 100

    # -- data ---------------------------------------------------------------------------
    @guarded("Dashboard: showing")
    def show(self, model: DashboardModel) -> None:
        settings = self.app.settings  # type: ignore[attr-defined]
        if not self._panels:  # looked up once: this runs on every new reading
            self._panels = [self.query_one(p) for p in (PerformancePanel, HealthPanel, QueuePanel)]
        for panel in self._panels:
            panel.show(model, settings)
        self.query_one(StatusBanner).show(model, self.app.tz)  # type: ignore[attr-defined]
        self.tick(self.app.clock())  # type: ignore[attr-defined]
        if model.host != (self._chart_asked or ("", "", ""))[1]:
            self.ask_chart()
        elif self._chart_asked and self.app.clock() - self._chart_asked[3] > CHART_REFRESH_S:  # type: ignore[attr-defined]
            self.ask_chart()

    @guarded("Dashboard: ages")
    def tick(self, now: float) -> None:
        interval = self.app.collect_interval  # type: ignore[attr-defined]
        cursor = self.app.cursor  # type: ignore[attr-defined]
        now = now if cursor is None else cursor  # at a past time, ages count from it
        if not self._ages:  # looked up once: this runs every second
            self._ages = list(self.query(AgeLabel))
        for age in self._ages:
            age.tick(now, interval)

    def series_names(self) -> list[str]:
        model: DashboardModel = self.app.model  # type: ignore[attr-defined]
        queues = model.cache.queues.queues if model.cache and model.cache.queues else ()
        return [*SPARK_METRICS, *(f"queue.{q.name}.pending" for q in queues)]

    @property
    def metric(self) -> str:
        names = self.series_names()
        return names[self.series_index % len(names)]

    def ask_chart(self) -> None:
        """Ask the poller for the selected series at the chart's width."""
        app = self.app
        chart = self.query_one(ChartPanel)
        host = app.model.host  # type: ignore[attr-defined]
        self._chart_asked = (self.metric, host, self.range_name, app.clock())  # type: ignore[attr-defined]
        chart.caption(self.metric, self.range_name, host, "loading")
        app.poller.request_chart(self.metric, host, self.range_name, chart.points_wanted)  # type: ignore[attr-defined]

    @guarded("Dashboard: the chart")
    def show_chart(self, reading: ChartReading) -> None:
        asked = self._chart_asked
        name = range_name(reading.span_s)
        if asked is None or (reading.metric, reading.host, name) != asked[:3]:
            return  # an answer to an earlier question
        if reading.as_of != self.app.cursor:  # type: ignore[attr-defined]
            return  # drawn for a time the cursor has left
        chart = self.query_one(ChartPanel)
        note = "" if reading.ok else f"database down — {reading.reason}"
        if reading.ok and not any(p.value is not None for p in reading.points):
            note = "no history yet"
        chart.caption(reading.metric, name, reading.host, note)
        chart.draw(reading)

    # -- actions ------------------------------------------------------------------------
    def action_series(self, step: int) -> None:
        self.series_index = (self.series_index + step) % len(self.series_names())
        self.ask_chart()

    def action_series_at(self, index: int) -> None:
        self.series_index = index % len(self.series_names())
        self.ask_chart()

    def action_range(self, step: int) -> None:
        self.range_name = RANGES[(RANGES.index(self.range_name) + step) % len(RANGES)]
        self.ask_chart()

    def set_range(self, name: str) -> None:
        """Pick a chart range by name (the command palette offers each)."""
        self.range_name = name
        self.ask_chart()

    def action_next_host(self) -> None:
        self.app.action_next_host()  # type: ignore[attr-defined]
