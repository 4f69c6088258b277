"""Performance metrics: requests/s, latency, job throughput, failures, runtime and wait."""

from __future__ import annotations

from console.core.formatting import millis, number
from console.core.metrics import PerformanceSnapshot
from console.core.settings import Settings
from console.tui.state.model import DashboardModel
from console.tui.widgets.dash_format import LEVEL_WORDS, Fit, level
from console.tui.widgets.dash_metric_panel import MetricPanel

# row id -> (label, sparkline series)
ROWS: dict[str, tuple[str, str | None]] = {
    "perf-rps": ("req/s", "perf.rps_avg"),
    "perf-latency": ("latency", "perf.latency_p95_ms"),
    "perf-jobs": ("jobs/min", "perf.jobs_processed"),
    # jobs that failed lately, as a rate (the label fits the 8-cell column): not the Queue
    # stats' `held failed`, the failures kept until retried or deleted
    "perf-failed": ("fail/min", "perf.jobs_failed"),
    "perf-runtime": ("runtime", None),
    "perf-wait": ("wait", None),
}


def perf_values(p: PerformanceSnapshot, settings: Settings) -> dict[str, tuple[Fit, str]]:
    """Row id -> (text, or texts longest first, level) for one snapshot."""
    lat = level(settings.threshold("latency_p95_ms"), p.latency_p95_ms)
    failed = level(settings.threshold("failed_jobs"), p.jobs_failed)
    now, avg, peak = number(p.rps_now), number(p.rps_avg), number(p.rps_peak)
    lat_word = LEVEL_WORDS[lat]
    rate, failed_word = _per_min(p.jobs_failed, p.window_s), LEVEL_WORDS[failed]
    return {
        "perf-rps": (
            (f"{now} avg {avg} peak {peak}", f"{now} avg {avg} pk {peak}", f"{now} peak {peak}"),
            "ok",
        ),
        "perf-latency": (
            (
                f"{millis(p.latency_avg_ms)} p95 {millis(p.latency_p95_ms)}{lat_word}",
                f"p95 {millis(p.latency_p95_ms)}{lat_word}",
            ),
            lat,
        ),
        "perf-jobs": (
            (f"{number(p.jobs_per_min)} ({p.jobs_processed} done)", number(p.jobs_per_min)),
            "ok",
        ),
        "perf-failed": (
            (f"{rate} ({p.jobs_failed} failed){failed_word}", f"{rate}{failed_word}"),
            failed,
        ),
        "perf-runtime": (
            (
                f"{millis(p.runtime_avg_ms)} p95 {millis(p.runtime_p95_ms)}",
                f"p95 {millis(p.runtime_p95_ms)}",
            ),
            "ok",
        ),
        "perf-wait": (f"{millis(p.wait_avg_ms)} avg", "ok"),
    }


def _per_min(count: int, window_s: float) -> str:
    """A count over the window as a rate per minute (the window is the store interval)."""
    return number(count / window_s * 60) if window_s > 0 else str(count)


class PerformancePanel(MetricPanel):
    """The Performance metrics widget."""

    KIND, ENTRY, TITLE, ROWS = "performance", "perf", "Performance", ROWS

    def reading(self, model: DashboardModel) -> PerformanceSnapshot | None:
        return model.cache.performance if model.cache else None

    def values(
        self, reading: PerformanceSnapshot, settings: Settings
    ) -> dict[str, tuple[Fit, str]]:
        return perf_values(reading, settings)
