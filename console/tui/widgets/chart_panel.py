"""The larger chart: one selected series over 1h / 6h / 24h / 7d / 30d, read from the store.

plotext keeps module-global state, so drawing happens here, on the main thread only, from a
copy of the points handed over in a message. plotext itself loads after the first frame (a
blank placeholder stands in): importing it cost the first paint ~50 ms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from console.core.events.marker_line import groups
from console.core.feeds.dashboard import ChartReading
from console.core.gaps import gaps, segments
from console.tui.dash_choices import range_name
from console.tui.text import outside
from console.tui.widgets.chart_markers import MarkerLine

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

SERIES_LABELS = {
    "perf.rps_avg": "requests/s (avg)",
    "perf.latency_p95_ms": "latency p95 (ms)",
    "perf.jobs_processed": "jobs processed",
    "perf.jobs_failed": "jobs failed",
    "health.cpu_percent": "CPU %",
    "health.load1": "load (1 min)",
    "health.mem_percent": "memory %",
    "health.swap_percent": "swap %",
    "health.disk_percent": "disk % (fullest)",
    "health.net_rx_bps": "network rx (B/s)",
    "health.net_tx_bps": "network tx (B/s)",
}
# Range -> (seconds per x unit, axis label).
X_UNITS = {"1h": (60, "minutes ago"), "6h": (3600, "hours ago"), "24h": (3600, "hours ago")}
DAYS = (86400, "days ago")
LINE_COLOR = "blue+"  # plotext's first colour: every run of one series alike
# Marker kind -> (plotext colour, symbol); plotext takes colour names, not CSS.
MARKER_STYLE = {
    "restart": ("yellow", "▲"),
    "FATAL": ("red+", "✖"),
    "deploy": ("magenta+", "◆"),
    "supervisord": ("cyan", "●"),
    "alert": ("orange", "!"),
}


def series_label(metric: str) -> str:
    """A readable name for a series; queue series are 'queue <name> pending'."""
    if metric in SERIES_LABELS:
        return SERIES_LABELS[metric]
    if metric.startswith("queue."):
        _, rest = metric.split(".", 1)
        name, _, column = rest.rpartition(".")
        return f"queue {name} {column}"
    return metric


class ChartPanel(Vertical):
    """Caption (series · range · host · status) above a plotext plot."""

    def __init__(self, collect_interval: float = 60.0) -> None:
        super().__init__(id="panel-chart", classes="panel")
        self.border_title = "History"
        self._drawn: ChartReading | None = None
        self._plot: PlotextPlot | None = None
        self.collect_interval = collect_interval  # rows are this far apart; more is a gap

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="chart-caption", classes="age")
        yield Static(Content(""), id="chart-placeholder")
        yield MarkerLine(id="chart-markers", classes="age")

    def on_mount(self) -> None:
        self.call_after_refresh(self.plot)

    def plot(self) -> PlotextPlot:
        """The plotext widget, put in its placeholder's place on first use."""
        if self._plot is None:
            from textual_plotext import PlotextPlot

            self._plot = PlotextPlot(id="chart-plot")
            placeholder = self.query_one("#chart-placeholder")
            self.mount(self._plot, before=placeholder)
            placeholder.remove()
        return self._plot

    @property
    def points_wanted(self) -> int:
        """One point per plot column (the store downsamples to this)."""
        return max(10, self.size.width - 8)  # the plot spans the panel's content

    def caption(self, metric: str, range_name: str, host: str, note: str) -> None:
        text = f"{series_label(metric)} · {range_name} · {host}"
        self.query_one("#chart-caption", Static).update(
            outside(f"{text}{' · ' + note if note else ''}", 500),
            layout=False,  # one fixed row
        )

    def draw(self, reading: ChartReading) -> None:
        """Plot the reading's points (main thread: plotext is global state)."""
        if reading == self._drawn:
            return
        self._drawn = reading
        plot = self.plot()
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        unit, label = X_UNITS.get(range_name(reading.span_s), DAYS)
        origin = _origin(reading)
        # A time without rows is a gap: each run is its own line, never one across the gap.
        for run in segments(reading.points, self.collect_interval):
            xs = [(p.ts - origin) / unit for p in run]
            plt.plot(xs, [p.value for p in run], marker="braille", color=LINE_COLOR)
        self._draw_markers(plt, reading, unit)
        plt.xlim(-reading.span_s / unit, 0)
        plt.xlabel(label if reading.as_of is None else label.replace("ago", "before the cursor"))
        plot.refresh()

    def _draw_markers(self, plt, reading: ChartReading, unit: float) -> None:
        """A vertical line per marker, a symbol on top for the legend; below the chart, the
        markers and the gaps (times without rows: the worker or a source was down)."""
        values = [p.value for p in reading.points if p.value is not None]
        top = max(values) if values else 1.0
        origin = _origin(reading)
        for kind, (color, symbol) in MARKER_STYLE.items():
            xs = [(m.ts - origin) / unit for m in reading.markers if m.kind == kind]
            for x in xs:
                plt.vline(x, color)
            if xs:
                plt.scatter(xs, [top] * len(xs), marker=symbol, color=color, label=kind)
        outages = gaps(reading.points, self.collect_interval)
        self.query_one(MarkerLine).show(groups(reading.markers, outages))


def _origin(reading: ChartReading) -> float:
    """Where the x axis ends (0): now, or the time cursor."""
    return reading.as_of if reading.as_of is not None else reading.polled_at
