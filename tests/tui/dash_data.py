"""Fixed readings for dashboard snapshots and Pilot tests: a fake of our own data layer (not of
Redis or SQL), with a fixed clock, so screenshots never vary."""

from __future__ import annotations

from dataclasses import replace

from console.core.feeds import Feeds, build_feeds
from console.core.feeds.dashboard import (
    CacheReading,
    ChartReading,
    HistoryReading,
    SupervisorReading,
)
from console.core.metrics import (
    DiskUsage,
    PerformanceSnapshot,
    Point,
    QueueDepth,
    QueueSnapshot,
    SystemHealth,
)
from console.core.settings import Settings, SupervisorEndpoint

NOW = 1_780_000_000.0  # a fixed instant: every age and clock time is deterministic
HOST = "web-1"


def clock() -> float:
    return NOW


def settings(**overrides: object) -> Settings:
    base = Settings(
        host=HOST,
        data_dir="/nonexistent/stackwatch-test",
        supervisors=(SupervisorEndpoint("main", "unix:///nonexistent/supervisor.sock"),),
        timezone="UTC",
        theme="textual-dark",
    )
    return replace(base, **overrides)


def health(ts: float = NOW - 12) -> SystemHealth:
    return SystemHealth(
        host=HOST,
        ts=ts,
        cpu_percent=42.5,
        cpu_count=4,
        load1=5.1,
        load5=3.0,
        load15=2.0,
        mem_total=8 * 2**30,
        mem_used=7 * 2**30,
        mem_percent=87.5,
        swap_total=2**30,
        swap_used=0,
        swap_percent=0.0,
        disks=(
            DiskUsage("/", 100 * 2**30, 40 * 2**30, 40.0),
            DiskUsage("/var", 50 * 2**30, 48 * 2**30, 96.0),
        ),
        net_rx_bps=1_250_000.0,
        net_tx_bps=32_000.0,
    )


def queues(ts: float = NOW - 12, names: tuple[str, ...] = ("default", "emails")) -> QueueSnapshot:
    depths = [
        QueueDepth(name, "redis-list", pending=3 + 100 * i, scheduled=1, reserved=2, failed=i * 2)
        for i, name in enumerate(names)
    ]
    return QueueSnapshot(host=HOST, ts=ts, queues=tuple(depths))


def performance(ts: float = NOW - 12) -> PerformanceSnapshot:
    return PerformanceSnapshot(
        host=HOST,
        ts=ts,
        requests=7200,
        rps_now=12.4,
        rps_avg=10.0,
        rps_peak=41.0,
        latency_avg_ms=35.0,
        latency_p95_ms=640.0,
        jobs_processed=300,
        jobs_failed=2,
        jobs_per_min=5.0,
        runtime_avg_ms=120.0,
        runtime_p95_ms=900.0,
        wait_avg_ms=15.0,
    )


def wave(n: int = 60, base: float = 40.0) -> tuple[float | None, ...]:
    return tuple(base + ((i * 7) % 23) - 11 for i in range(n))


def feeds(settings: Settings, dashboard: FixedDashboard | None = None) -> Feeds:
    """The real feeds of `settings` with a fixed dashboard feed, through the app's seam; no
    alerts feed, so the header has no alert chip (tests/alerts has its own snapshots)."""
    return replace(
        build_feeds(settings, clock), dashboard=dashboard or FixedDashboard(), alerts=None
    )


def steady(settings: Settings) -> dict:
    """make_app keywords for screenshots of other screens: a header that never varies."""
    return {"feeds": feeds(settings, FixedDashboard(host=settings.host)), "clock": clock}


class FixedDashboard:
    """A dashboard feed answering every read with fixed data, or as down when `down` is set."""

    def __init__(
        self,
        with_data: bool = True,
        down: bool = False,
        host: str = HOST,
        queue_names: tuple[str, ...] = ("default", "emails"),
    ) -> None:
        self.with_data = with_data
        self.down = down
        self.host = host
        self.queue_names = queue_names

    def read_cache(self, host: str, as_of: float | None = None) -> CacheReading:
        if self.down:
            return CacheReading(
                False, "Redis at redis://cache:6379/0: Connection refused", host, NOW
            )
        if not self.with_data:
            return CacheReading(True, "", host, NOW, hosts=(host,))
        return CacheReading(
            True,
            "",
            host,
            NOW,
            health(),
            queues(names=self.queue_names),
            performance(),
            NOW - 20,
            (host, "worker-2"),
        )

    def read_history(
        self, host: str, metrics: tuple[str, ...], points: int, as_of: float | None = None
    ) -> HistoryReading:
        if self.down:
            return HistoryReading(
                False, "database [main] unreachable: connection refused", host, NOW
            )
        if not self.with_data:
            return HistoryReading(True, "", host, NOW, {}, ())
        series = {m: wave(points, base=10 + 5 * i) for i, m in enumerate(metrics)}
        return HistoryReading(True, "", host, NOW, series, (host,))

    def read_chart(
        self, host: str, metric: str, span_s: int, points: int, as_of: float | None = None
    ) -> ChartReading:
        if self.down:
            return ChartReading(False, "database down", metric, host, span_s, NOW)
        if not self.with_data:
            return ChartReading(True, "", metric, host, span_s, NOW, ())
        pts = tuple(Point(NOW - 3600 + i * 3600 / points, v) for i, v in enumerate(wave(points)))
        return ChartReading(True, "", metric, host, span_s, NOW, pts)

    def check_supervisor(
        self, endpoint: SupervisorEndpoint, as_of: float | None = None
    ) -> SupervisorReading:
        if self.down:
            return SupervisorReading(endpoint.name, False, "refused connection", NOW)
        return SupervisorReading(endpoint.name, True, "RUNNING", NOW)

    def close(self) -> None:
        pass
