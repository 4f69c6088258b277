"""Performance metrics: requests/s, latency, job throughput, failures, runtime and wait."""

from __future__ import annotations

from console.core.metrics import PerformanceSnapshot
from console.core.settings import Settings
from console.tui.widgets.dash_format import LEVEL_WORDS, Fit, level, ms, num
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


def perf_values(p: PerformanceSnapshot, settings: Settings) -> dict[str, tuple[Fit, str]]:
    """Row id -> (text, or texts longest first, level) for one snapshot."""
    lat = level(settings.threshold("latency_p95_ms"), p.latency_p95_ms)
    failed = level(settings.threshold("failed_jobs"), p.jobs_failed)
    now, avg, peak = num(p.rps_now), num(p.rps_avg), num(p.rps_peak)
    lat_word = LEVEL_WORDS[lat]
    return {
        "perf-rps": (
            (f"{now} avg {avg} peak {peak}", f"{now} avg {avg} pk {peak}", f"{now} peak {peak}"),
            "ok",
        ),
        "perf-latency": (
            (
                f"{ms(p.latency_avg_ms)} p95 {ms(p.latency_p95_ms)}{lat_word}",
                f"p95 {ms(p.latency_p95_ms)}{lat_word}",
            ),
            lat,
        ),
        "perf-jobs": (
            (f"{num(p.jobs_per_min)} ({p.jobs_processed} done)", num(p.jobs_per_min)),
            "ok",
        ),
        "perf-failed": (f"{p.jobs_failed}{LEVEL_WORDS[failed]}", failed),
        "perf-runtime": (
            (
                f"{ms(p.runtime_avg_ms)} p95 {ms(p.runtime_p95_ms)}",
                f"p95 {ms(p.runtime_p95_ms)}",
            ),
            "ok",
        ),
        "perf-wait": (f"{ms(p.wait_avg_ms)} avg", "ok"),
    }


class PerformancePanel(MetricPanel):
    """The Performance metrics widget."""

    KIND, ENTRY, TITLE, ROWS = "performance", "perf", "Performance", ROWS

    def reading(self, model: DashboardModel) -> PerformanceSnapshot | None:
        return model.cache.performance if model.cache else None

    def values(
        self, reading: PerformanceSnapshot, settings: Settings
    ) -> dict[str, tuple[Fit, str]]:
        return perf_values(reading, settings)
