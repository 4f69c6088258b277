"""Job failure records, Laravel payloads and stored rows that do not fit, on real Redis,
SQLite and PostgreSQL: each is an invalid reading or a gap, never an exception."""

from __future__ import annotations

import json
import time
from pathlib import Path

import redis
from sqlalchemy import update

from console.core import keys
from console.core.feeds import build_feeds
from console.core.metrics import SystemHealth
from console.core.queues.oldest import laravel_oldest
from console.core.store import ledger, queries, writes
from console.core.store.engine import make_engine, upgrade, writing
from console.core.store.models import SystemHealthRow
from tests.queues.helpers import HOST, make_settings

GOOD = {"ts": 1.0, "queue": "mail", "task": "send", "task_id": "t1", "exception": "Boom"}
BAD = [
    {**GOOD, "ts": "yesterday"},
    {**GOOD, "retries": [1]},
    {**GOOD, "task": {"name": "x"}},
    {**GOOD, "traceback": 7},
    ["not", "a", "record"],
]


def test_failure_records_that_do_not_fit_are_invalid_not_a_crash(
    tmp_path: Path, redis_url: str
) -> None:
    client = redis.Redis.from_url(redis_url)
    for record in [GOOD, *BAD]:
        client.rpush(keys.job_failures(HOST), json.dumps(record))
    settings = make_settings(tmp_path, redis_url, discover_queues=False)
    feeds = build_feeds(settings)
    view = feeds.queues.load(HOST)
    assert [f.task_id for f in view.failures] == ["t1"]
    error = view.failures_error or ""
    assert error.startswith("4 failure records invalid: failure "), error
    # the worker persists the good one and skips the rest
    assert ledger.record_failures(feeds.connections.engine(), HOST, [GOOD, *BAD, "junk"]) == 1
    feeds.close()


def test_a_hostile_laravel_head_leaves_the_age_unknown(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    for payload in (
        b"[" * 10000 + b"]" * 10000,
        json.dumps({"pushedAt": "NaN"}).encode(),
        json.dumps({"pushedAt": [1]}).encode(),
        b"\xff\xfe",
    ):
        client.delete("queues:mail")
        client.rpush("queues:mail", payload)
        assert laravel_oldest(client, "mail", time.time()) is None
    client.delete("queues:mail")
    client.rpush("queues:mail", json.dumps({"pushedAt": f"{time.time() - 30:.4f}"}))
    assert 29 <= laravel_oldest(client, "mail", time.time()) <= 60


def test_non_finite_stored_values_are_gaps(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    t0 = 1_800_000_000 - 1_800_000_000 % 3600
    writes.write_health(
        engine, [SystemHealth("h1", t0 + i * 60, cpu_percent=5.0) for i in range(3)]
    )
    with writing(engine) as conn:  # PostgreSQL keeps NaN/Infinity in a float column
        conn.execute(update(SystemHealthRow).values(cpu_percent=float("nan")))
    points = queries.series(engine, "health.cpu_percent", "h1", t0, t0 + 180, points=3)
    assert [p.value for p in points] == [None, None, None]
    engine.dispose()


def test_a_foreign_continuity_state_starts_afresh() -> None:
    from console.core.events.continuity import Continuity

    assert Continuity.load("[" * 5000 + "]" * 5000).last == {}
    assert Continuity.load('{"main": [1, NaN]}').last == {}
    assert Continuity.load('{"main": [1, 7]}').last == {"main": [1, 7]}
