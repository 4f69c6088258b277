"""Foreign items in the worker's per-interval roll list (real Redis, real SQLite): they are
left out, and collection, the latest performance value and store_metrics go on."""

from __future__ import annotations

import json

import redis

from console.core import keys
from console.core.report import Reporter
from console.core.store.engine import make_engine, upgrade
from jobs.context import JobContext
from jobs.performance import reset_tps_counter, store_metrics
from tests.jobs.helpers import settings_for

NOW = 1_900_000_000.0
FOREIGN = [
    {"ts": "yesterday", "requests": 5},
    {"ts": NOW + 10, "requests": "many"},
    {"ts": NOW + 20, "requests": 1, "latency": {"n": "3", "sum": 1, "q": [1]}},
    {"ts": NOW + 30, "requests": 1, "latency": {"n": 1, "sum": 1, "q": ["x"]}},
    {"ts": NOW + 40, "window_s": [60]},
]


def test_foreign_roll_items_never_fail_a_collection(redis_url: str, sqlite_url: str) -> None:
    settings = settings_for(redis_url=redis_url, database_url=sqlite_url, store_interval=300)
    engine = make_engine(sqlite_url)
    upgrade(engine)
    ctx = JobContext(settings, engine=engine)
    try:
        reporter = Reporter(ctx.settings, ctx.cache)
        for ms in (10, 20, 30):
            reporter.record_request(ms, 200)
        assert reset_tps_counter(ctx, NOW + 60)["requests"] == 3
        client = redis.Redis.from_url(redis_url)
        for item in FOREIGN:
            client.rpush(keys.rps_minutes(ctx.host), json.dumps(item))
        reporter.record_request(40, 200)
        assert reset_tps_counter(ctx, NOW + 120)["requests"] == 1
        store_metrics(ctx, NOW + 300)
        perf = ctx.cache.get_latest("performance", ctx.host).payload
        assert perf["requests"] == 4 and perf["latency_p95_ms"] == 40
    finally:
        ctx.close()
