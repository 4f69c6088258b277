"""Performance metrics: requests/s, latency, job throughput, failures, runtime and wait."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from console.core.metrics import PerformanceSnapshot
from console.core.settings import Settings
from console.tui.widgets.dash_age import AgeLabel
from console.tui.widgets.dash_format import LEVEL_WORDS, level, ms, num
from console.tui.widgets.dash_metric_row import MetricRow
from console.tui.widgets.status_model import DashboardModel

# row id -> (label, sparkline series)
ROWS: dict[str, tuple[str, str | None]] = {
    "perf-rps": ("req/s", "perf.rps_avg"),
    "perf-latency": ("latency", "perf.latency_p95_ms"),
    "perf-jobs": ("jobs/min", "perf.jobs_processed"),
    "perf-failed": ("failed", "perf.jobs_failed"),
    "perf-runtime": ("runtime", None),
    "perf-wait": ("wait", None),
}


def perf_values(p: PerformanceSnapshot, settings: Settings) -> dict[str, tuple[str, str]]:
    """Row id -> (text, level) for one snapshot."""
    lat = level(settings.threshold("latency_p95_ms"), p.latency_p95_ms)
    failed = level(settings.threshold("failed_jobs"), p.jobs_failed)
    return {
        "perf-rps": (f"{num(p.rps_now)} avg {num(p.rps_avg)} peak {num(p.rps_peak)}", "ok"),
        "perf-latency": (
            f"{ms(p.latency_avg_ms)} p95 {ms(p.latency_p95_ms)}{LEVEL_WORDS[lat]}",
            lat,
        ),
        "perf-jobs": (f"{num(p.jobs_per_min)} ({p.jobs_processed} done)", "ok"),
        "perf-failed": (f"{p.jobs_failed}{LEVEL_WORDS[failed]}", failed),
        "perf-runtime": (f"{ms(p.runtime_avg_ms)} p95 {ms(p.runtime_p95_ms)}", "ok"),
        "perf-wait": (f"{ms(p.wait_avg_ms)} avg", "ok"),
    }


class PerformancePanel(Vertical):
    """The Performance metrics widget."""

    def __init__(self) -> None:
        super().__init__(id="panel-performance", classes="panel")
        self._rows: dict[str, MetricRow] = {}
        self.border_title = "Performance"

    def compose(self) -> ComposeResult:
        yield AgeLabel(id="age-performance")
        for row_id, (label, series) in ROWS.items():
            yield MetricRow(label, id=row_id, spark=series is not None)

    def show(self, model: DashboardModel, settings: Settings) -> None:
        """Values from the last good cache reading; history from the last store reading."""
        perf = model.cache.performance if model.cache else None
        if not self._rows:  # looked up once: show runs on every new reading
            self._rows = {row_id: self.query_one(f"#{row_id}", MetricRow) for row_id in ROWS}
        age = self.query_one(AgeLabel)
        age.set_source(perf.ts if perf else None, "cache down" if model.cache_down else "")
        values = perf_values(perf, settings) if perf else {}
        stale = age.stale or model.cache_down
        series = model.history.series if model.history else {}
        for row_id, (_label, metric) in ROWS.items():
            row = self._rows[row_id]
            text, lvl = values.get(row_id, ("-", "ok"))
            row.set_value(text, "stale" if stale and perf else lvl)
            if metric:
                row.set_series(series.get(metric, ()))
