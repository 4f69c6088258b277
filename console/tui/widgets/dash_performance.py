"""Performance metrics: requests/s, latency, job throughput, failures, runtime and wait."""

from __future__ import annotations

from console.core.metrics import PerformanceSnapshot
from console.core.settings import Settings
from console.tui.widgets.dash_format import LEVEL_WORDS, level, ms, num
from console.tui.widgets.dash_metric_panel import MetricPanel
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


class PerformancePanel(MetricPanel):
    """The Performance metrics widget."""

    KIND, ENTRY, TITLE, ROWS = "performance", "perf", "Performance", ROWS

    def reading(self, model: DashboardModel) -> PerformanceSnapshot | None:
        return model.cache.performance if model.cache else None

    def values(
        self, reading: PerformanceSnapshot, settings: Settings
    ) -> dict[str, tuple[str, str]]:
        return perf_values(reading, settings)
