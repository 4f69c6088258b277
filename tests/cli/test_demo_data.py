"""What the demo seeds and runs is usable on every screen: the hour before start is on the 1h
chart and the sparklines, and a failed shop job can be retried from the Queues screen."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from console.core import keys, recent
from console.core.cache import open_cache
from console.core.feeds import build_feeds
from console.core.settings import Settings, load_settings
from console.core.store import ledger
from console.core.store.engine import make_engine
from console.demo.files import DemoDir
from console.demo.shop import (
    FAILING_EVERY,
    HELD_FOR,
    SPELL_CYCLE,
    build_shop,
    expire_held_failures,
    instrument_shop,
    refused,
)
from console.demo.stack import ALL_PROGRAMS, DemoConfig, DemoStack
from console.tui.dash_choices import SPARK_METRICS, SPARK_POINTS


@pytest.fixture(params=["embedded", "redis"])
def demo_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The settings a demo writes, its schema and its seeded hour (no processes started)."""
    url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    files = DemoDir.claim(tmp_path / "demo", ALL_PROGRAMS)
    cfg = DemoConfig(root=files.root, redis_url=url, interval=5)
    DemoStack(cfg, files, seed_history=True).prepare()
    return load_settings(str(cfg.settings_file), env={}).settings


def _worker_collected_once(settings: Settings) -> None:
    """What the demo's worker does first: a sample in each recent list (the 1h views' source)."""
    now, interval = time.time(), settings.collect_interval
    cache = open_cache(settings)
    try:
        for kind, sample in (("health", {"cpu_percent": 5.0}), ("performance", {"rps_avg": 3.0})):
            recent.push(cache, kind, settings.host, {"ts": now, **sample}, interval)
        recent.push(cache, "queue", settings.host, {"ts": now, "queues": {}}, interval)
    finally:
        cache.close()


def test_the_seeded_hour_is_on_the_sparklines_and_the_1h_chart(demo_settings: Settings) -> None:
    _worker_collected_once(demo_settings)
    feeds = build_feeds(demo_settings)
    try:
        host = demo_settings.host
        history = feeds.dashboard.read_history(host, SPARK_METRICS, SPARK_POINTS)
        chart = feeds.dashboard.read_chart(host, "perf.rps_avg", 3600, 60)
    finally:
        feeds.close()
    assert history.ok
    for metric in ("perf.rps_avg", "health.cpu_percent", "health.net_rx_bps"):
        values = history.series[metric]
        assert sum(v is not None for v in values) >= len(values) * 3 // 4, metric
    assert chart.ok and sum(p.value is not None for p in chart.points) >= 45


def test_a_failed_shop_job_is_retried_with_its_arguments(demo_settings: Settings) -> None:
    huey, tasks = build_shop(demo_settings)
    instrument_shop(huey, demo_settings)
    tasks["send_receipt"](FAILING_EVERY)
    huey.execute(huey.dequeue())  # fails: SMTP refused this order, as in the demo
    feeds = build_feeds(demo_settings)
    try:
        failures = feeds.queues.load(demo_settings.host).failures
        assert failures and failures[0].task == "send_receipt" and failures[0].retryable
        done = feeds.queues.actions(demo_settings.host).retry(failures[0])
    finally:
        feeds.close()
    assert "re-enqueued send_receipt" in done.message
    again = huey.dequeue()
    assert again is not None and again.args == (FAILING_EVERY,)


def test_refused_receipts_come_in_spells_and_their_held_failures_expire(
    demo_settings: Settings,
) -> None:
    refusals = [order for order in range(1, 2 * SPELL_CYCLE + 1) if refused(order)]
    assert refusals and len(refusals) < 2 * SPELL_CYCLE / FAILING_EVERY  # quiet between spells
    huey, tasks = build_shop(demo_settings)
    instrument_shop(huey, demo_settings)
    tasks["send_receipt"](FAILING_EVERY)
    huey.execute(huey.dequeue())
    cache = open_cache(demo_settings)
    try:  # what the worker's store does
        records = cache.drain(keys.job_failures(demo_settings.host))
    finally:
        cache.close()
    engine = make_engine(demo_settings.resolved_database_url)
    ledger.record_failures(engine, demo_settings.host, records)
    engine.dispose()
    held = records[0]["ts"]

    def held_failed() -> int | None:
        feeds = build_feeds(demo_settings)
        try:
            view = feeds.queues.load(demo_settings.host)
        finally:
            feeds.close()
        return {line.name: line.failed for line in view.queues}["shop"]

    assert held_failed() == 1
    assert expire_held_failures(demo_settings, held + HELD_FOR - 1) == 0  # not yet
    assert held_failed() == 1
    assert expire_held_failures(demo_settings, held + HELD_FOR + 1) == 1
    assert held_failed() == 0
