"""The dashboard's display choices: which series get sparklines, how many points, which
chart ranges. The feed is asked for exactly these; it decides none of them."""

from __future__ import annotations

# Series shown as sparklines (last hour), in the order the chart selector offers them.
SPARK_METRICS: tuple[str, ...] = (
    "perf.rps_avg",
    "perf.latency_p95_ms",
    "perf.jobs_processed",
    "perf.jobs_failed",
    "health.cpu_percent",
    "health.load1",
    "health.mem_percent",
    "health.swap_percent",
    "health.disk_percent",
    "health.net_rx_bps",
    "health.net_tx_bps",
)
SPARK_POINTS = 60
# Chart range name -> seconds.
CHART_RANGES: dict[str, int] = {
    "1h": 3600,
    "6h": 6 * 3600,
    "24h": 24 * 3600,
    "7d": 7 * 86400,
    "30d": 30 * 86400,
}


def range_name(span_s: int) -> str:
    """The chart range a span was asked for ('' when none matches)."""
    return next((name for name, span in CHART_RANGES.items() if span == span_s), "")
