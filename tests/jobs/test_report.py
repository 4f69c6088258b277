"""record_request against a real Redis: one RPUSH counts, trims never lose a request."""

from __future__ import annotations

import logging
import socket
import threading

import pytest

from console.core import keys, report
from console.core.cache import open_cache
from console.core.report import Reporter
from jobs.context import JobContext
from jobs.performance import items_since, publish_latest, reset_tps_counter
from tests.jobs.helpers import settings_for


@pytest.fixture
def ctx(redis_url: str, sqlite_url: str) -> JobContext:
    context = JobContext(settings_for(redis_url=redis_url, database_url=sqlite_url))
    yield context
    context.close()


def test_trims_move_requests_to_the_counter_so_totals_stay_exact(
    ctx: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report, "MAX_LATENCY_SAMPLES", 10)
    monkeypatch.setattr(report, "TRIM_AT", 20)
    reporter = Reporter(ctx.settings, open_cache(ctx.settings))

    def record() -> None:
        for i in range(300):
            reporter.record_request(float(i), 503 if i % 100 == 0 else 200)
        reporter.record_requests([(1.0, 200)] * 25 + [(2.0, 500)])

    threads = [threading.Thread(target=record) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = ctx.cache.client.llen(keys.request_samples(ctx.host))
    assert kept <= 20 + 26  # trimmed while recording, not grown without bound
    item = reset_tps_counter(ctx)
    assert item["requests"] == 4 * 326
    assert item["errors_5xx"] == 4 * 4
    assert item["latency"]["n"] <= kept  # latencies of trimmed requests are gone, not counts


def test_odd_durations_still_count(ctx: JobContext) -> None:
    reporter = Reporter(ctx.settings, ctx.cache)
    for value in (float("nan"), float("inf"), "slow", 10**400, 12.5):
        reporter.record_request(value, 200)  # type: ignore[arg-type]
    item = reset_tps_counter(ctx)
    assert item["requests"] == 5
    assert item["latency"]["n"] == 1


def test_redis_down_never_raises_and_stops_trying(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed once the block ends: nothing listens there
    settings = settings_for(redis_url=f"redis://127.0.0.1:{port}/0", rpc_timeout=0.5)
    reporter = Reporter(settings)
    with caplog.at_level(logging.WARNING, logger="stackwatch.report"):
        reporter.record_request(5.0, 200)
        reporter.record_request(5.0, 503)
        reporter.record_requests([(5.0, 200)] * 3)
    assert reporter.breaker.open
    assert "cannot record requests" in caplog.text


def test_sqlite_cache_counts_the_same(tmp_path) -> None:
    settings = settings_for(data_dir=str(tmp_path), database_url=f"sqlite:///{tmp_path}/s.db")
    context = JobContext(settings)
    try:
        reporter = Reporter(settings, context.cache)
        reporter.record_request(5.0, 200)
        reporter.record_requests([(7.0, 200), (9.0, 502)])
        item = reset_tps_counter(context)
        assert (item["requests"], item["errors_5xx"], item["latency"]["n"]) == (3, 1, 3)
    finally:
        context.close()


def test_latest_performance_reads_only_what_the_window_needs_but_all_of_it(
    ctx: JobContext,
) -> None:
    now = 1_900_000_000.0
    for i in range(400):  # one item a second although the interval says a minute
        ctx.cache.push(keys.rps_minutes(ctx.host), {"ts": now - 399 + i, "requests": 1}, 2000)
    perf = publish_latest(ctx, now)
    assert perf.requests == ctx.settings.store_interval + 1  # every item of [now - 300, now]
    assert len(items_since(ctx, now - 120, now)) == 121
