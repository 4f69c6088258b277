"""The recent lists: the worker's compact samples and the dashboard's last hour read from them,
without SQLAlchemy, in the shape the store returns."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from console.core import keys, recent
from console.core.cache import open_cache
from console.core.feeds import build_feeds
from console.core.metrics import Point, QueueDepth, QueueSnapshot, SystemHealth
from console.core.settings import Settings
from console.core.store import writes
from console.core.store.engine import make_engine, upgrade
from console.tui.dash_choices import SPARK_METRICS, SPARK_POINTS
from jobs.collection import collect_system_metrics
from jobs.context import JobContext
from jobs.performance import reset_tps_counter
from tests.jobs.helpers import settings_for

NOW = 1_900_000_020.0


def test_buckets_average_counts_sum_peaks_max_and_gaps_are_none() -> None:
    samples = [
        {"ts": NOW - 3590, "cpu_percent": 10.0, "jobs_processed": 2, "latency_p95_ms": 5.0},
        {"ts": NOW - 3580, "cpu_percent": 30.0, "jobs_processed": 3, "latency_p95_ms": 9.0},
        {"ts": NOW - 30, "cpu_percent": 50.0},
        {"ts": NOW + 5, "cpu_percent": 99.0},  # after the range: left out
        {"ts": "bad", "cpu_percent": 1.0},  # unreadable: left out
    ]
    cpu = recent.bucketed(samples, "health.cpu_percent", NOW - 3600, NOW, 60)
    assert len(cpu) == 60 and cpu[0] == Point(int(NOW - 3600), 20.0)
    assert cpu[1].value is None and cpu[-1].value == 50.0
    jobs = recent.bucketed(samples, "perf.jobs_processed", NOW - 3600, NOW, 60)
    assert jobs[0].value == 5.0
    assert recent.bucketed(samples, "perf.latency_p95_ms", NOW - 3600, NOW, 60)[0].value == 9.0


def test_the_worker_pushes_capped_samples_the_dashboard_reads(redis_url, sqlite_url) -> None:
    settings = settings_for(redis_url=redis_url, database_url=sqlite_url, collect_interval=60)
    upgrade(make_engine(sqlite_url))
    ctx = JobContext(settings)
    try:
        for i in range(3):
            assert not collect_system_metrics(ctx, NOW - 120 + 60 * i).errors
            reset_tps_counter(ctx, NOW - 120 + 60 * i)
        host = ctx.host
        assert len(ctx.cache.items(keys.recent("health", host), 100)) == 3
        assert len(ctx.cache.items(keys.recent("performance", host), 100)) == 3
        feed = build_feeds(settings, clock=lambda: NOW + 1).dashboard
        reading = feed.read_history(host, SPARK_METRICS, SPARK_POINTS)
        assert reading.ok and not reading.from_store
        assert sum(v is not None for v in reading.series["health.cpu_percent"]) == 3
        assert reading.series["perf.jobs_processed"][-1] == 0.0
    finally:
        ctx.close()
    assert keys.recent_maxlen(60) == 95 and keys.recent_maxlen(10) == 545


def test_history_and_the_1h_chart_match_the_store(redis_url, sqlite_url, tmp_path) -> None:
    """The same samples in the store and the recent lists give the same sparkline."""
    engine = make_engine(sqlite_url)
    upgrade(engine)
    settings = Settings(
        host="web-1", redis_url=redis_url, database_url=sqlite_url, data_dir=str(tmp_path)
    )
    cache = open_cache(settings)
    now = time.time() // 60 * 60 + 0.5
    for minute in range(70, 0, -1):
        ts = now - 60 * minute
        health = SystemHealth("web-1", ts, cpu_percent=float(minute % 7), load1=0.5)
        queues = QueueSnapshot("web-1", ts, (QueueDepth("mail", "redis-list", pending=minute),))
        writes.write_health(engine, [health])
        writes.write_queues(engine, queues)
        recent.push(cache, "health", "web-1", recent.health_sample(health), 60)
        recent.push(cache, "queue", "web-1", recent.queue_sample(queues), 60)
    recent.push(cache, "performance", "web-1", recent.perf_sample(now - 60, {"rps_avg": 2}), 60)
    feeds = build_feeds(settings, clock=lambda: now)
    sources = feeds.dashboard
    metrics = (*SPARK_METRICS, "queue.mail.pending")
    from_cache = sources.read_history("web-1", metrics, SPARK_POINTS)
    assert from_cache.ok and not from_cache.from_store
    from_store = sources._store_history("web-1", metrics, SPARK_POINTS, now)
    for metric in ("health.cpu_percent", "health.load1", "queue.mail.pending"):
        assert from_cache.series[metric] == from_store.series[metric], metric
    assert len(from_cache.series["health.cpu_percent"]) == SPARK_POINTS
    chart = sources.read_chart("web-1", "health.cpu_percent", 3600, 60)
    assert chart.ok and not chart.from_store
    stored = sources._series("health.cpu_percent", "web-1", now - 3600, now, 60)
    assert chart.points == tuple(stored)
    longer = sources.read_chart("web-1", "health.cpu_percent", 6 * 3600, 60)
    assert longer.ok and longer.from_store
    feeds.close()


def test_without_recent_lists_the_store_answers(redis_url, sqlite_url, tmp_path) -> None:
    upgrade(make_engine(sqlite_url))
    settings = Settings(
        host="web-1", redis_url=redis_url, database_url=sqlite_url, data_dir=str(tmp_path)
    )
    feeds = build_feeds(settings)
    reading = feeds.dashboard.read_history("web-1", SPARK_METRICS, SPARK_POINTS)
    assert reading.ok and reading.from_store
    chart = feeds.dashboard.read_chart("web-1", "health.cpu_percent", 3600, 60)
    assert chart.ok and chart.from_store
    feeds.close()


def test_the_last_hour_never_loads_sqlalchemy(tmp_path) -> None:
    code = textwrap.dedent(
        f"""
        import sys, time
        from console.core import recent
        from console.core.cache import open_cache
        from console.core.feeds import build_feeds
        from console.core.metrics import QueueDepth, QueueSnapshot, SystemHealth
        from console.core.settings import Settings

        settings = Settings(host="web-1", redis_url=None, data_dir={str(tmp_path)!r},
                            database_url="sqlite:///" + {str(tmp_path / "none.db")!r})
        cache = open_cache(settings)
        now = time.time()
        for minute in range(60, 0, -1):
            ts = now - 60 * minute
            h = SystemHealth("web-1", ts, cpu_percent=float(minute))
            q = QueueSnapshot("web-1", ts, (QueueDepth("mail", "redis-list", pending=minute),))
            recent.push(cache, "health", "web-1", recent.health_sample(h), 60)
            recent.push(cache, "queue", "web-1", recent.queue_sample(q), 60)
            recent.push(cache, "performance", "web-1", recent.perf_sample(ts, {{"rps_avg": 1}}), 60)
        feeds = build_feeds(settings)
        sources = feeds.dashboard
        assert sources.read_cache("web-1").ok
        history = sources.read_history("web-1", ("health.cpu_percent", "queue.mail.pending"), 60)
        assert history.ok and not history.from_store, history
        # The newest sample (a minute ago) is the last value; which bucket holds it depends
        # on how long this took, so look at the newest value, not at a fixed index.
        assert [v for v in history.series["queue.mail.pending"] if v is not None][-1] == 1.0
        chart = sources.read_chart("web-1", "perf.rps_avg", 3600, 80)
        assert chart.ok and not chart.from_store, chart
        feeds.close()
        print("sqlalchemy" in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_the_db_chip_follows_store_reads_only() -> None:
    from console.core.feeds.dashboard import ChartReading, HistoryReading
    from console.core.sources import DOWN, UNKNOWN
    from console.tui.state.model import DATABASE, fold_chart, fold_history, initial_model

    model = initial_model(Settings(host="web-1"), "web-1")
    cached = HistoryReading(True, "", "web-1", NOW, {}, ("web-1",), from_store=False)
    model = fold_history(model, cached)
    assert model.state(DATABASE).status == UNKNOWN and model.history is cached
    failed = ChartReading(False, "refused", "health.cpu_percent", "web-1", 6 * 3600, NOW)
    assert fold_chart(model, failed).state(DATABASE).status == DOWN
