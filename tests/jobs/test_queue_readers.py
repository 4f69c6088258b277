"""Queue readers against real Redis holding the key layouts each queue system writes."""

from __future__ import annotations

import datetime
import json
import time

import pytest
import redis
from huey import RedisHuey

from console.core.errors import SourceUnavailable
from console.core.queues import read_queue, read_queues
from console.core.queues.discover import discover
from console.core.settings import QueueSpec


@pytest.fixture
def client(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def test_huey_queue_counts_come_from_a_real_huey_app(client: redis.Redis, redis_url: str) -> None:
    app = RedisHuey("shop", url=redis_url)

    @app.task()
    def send_mail(n: int) -> int:
        return n

    for n in range(3):
        send_mail(n)
    later = send_mail.s(9)
    later.eta = datetime.datetime(2100, 1, 1)
    app.add_schedule(later)  # what the consumer does with a task that is not due yet
    depth = read_queue(client, QueueSpec("shop", kind="huey"))
    assert (depth.pending, depth.scheduled, depth.error) == (3, 1, None)


def test_laravel_queue_reads_pending_delayed_and_reserved(client: redis.Redis) -> None:
    payload = json.dumps({"uuid": "1", "job": "Illuminate\\Queue\\CallQueuedHandler@call"})
    client.rpush("queues:default", payload, payload)
    client.zadd("queues:default:delayed", {payload + "d": time.time() + 60})
    client.zadd("queues:default:reserved", {payload + "r": time.time() + 90})
    depth = read_queue(client, QueueSpec("default", kind="laravel"))
    assert (depth.pending, depth.scheduled, depth.reserved) == (2, 1, 1)
    assert depth.failed is None  # Laravel keeps failed jobs in the app database


def test_celery_queue_reads_list_and_unacked_hash(client: redis.Redis) -> None:
    body = json.dumps({"body": "e30=", "headers": {"task": "app.add"}, "properties": {}})
    client.lpush("celery", body, body, body)
    client.hset("unacked", "tag-1", body)
    client.zadd("unacked_index", {"tag-1": time.time()})
    depth = read_queue(client, QueueSpec("celery", kind="celery"))
    assert (depth.pending, depth.reserved, depth.error) == (3, 1, None)


def test_rq_queue_reads_queue_and_registries(client: redis.Redis) -> None:
    client.rpush("rq:queue:high", "job-1", "job-2")
    client.zadd("rq:wip:high", {"job-3": time.time() + 180})
    client.zadd("rq:scheduled:high", {"job-4": time.time() + 600})
    client.zadd("rq:failed:high", {"job-5": time.time(), "job-6": time.time()})
    depth = read_queue(client, QueueSpec("high", kind="rq"))
    assert (depth.pending, depth.reserved, depth.scheduled, depth.failed) == (2, 1, 1, 2)


def test_missing_or_wrong_type_key_is_that_queues_error_only(client: redis.Redis) -> None:
    client.set("jobs", "not a list")
    missing = read_queue(client, QueueSpec("nothing-here"))
    wrong = read_queue(client, QueueSpec("jobs"))
    client.set("queues:mail", "oops")
    laravel = read_queue(client, QueueSpec("mail", kind="laravel"))
    assert "does not exist" in (missing.error or "")
    assert "is a string" in (wrong.error or "") and wrong.pending is None
    assert "is a string" in (laravel.error or "")


def test_several_queues_read_together_keep_their_own_numbers(client: redis.Redis) -> None:
    client.set("queues:mail", "oops")  # the first queue's key has the wrong type
    client.rpush("queues:default", "a", "b")
    client.rpush("plain", "x")
    client.zadd("rq:failed:high", {"job": 1.0})
    specs = [
        QueueSpec("mail", kind="laravel"),
        QueueSpec("missing"),
        QueueSpec("default", kind="laravel"),
        QueueSpec("plain"),
        QueueSpec("high", kind="rq"),
    ]
    mail, missing, default, plain, high = read_queues(client, specs)
    assert "is a string" in (mail.error or "") and "does not exist" in (missing.error or "")
    assert (default.pending, default.scheduled, default.error) == (2, 0, None)
    assert (plain.pending, high.failed, high.pending) == (1, 1, 0)


def test_unreachable_redis_raises_source_unavailable() -> None:
    dead = redis.Redis(port=1, socket_connect_timeout=0.5)
    with pytest.raises(SourceUnavailable):
        read_queue(dead, QueueSpec("x"))


def test_discovery_recognises_each_system(client: redis.Redis, redis_url: str) -> None:
    app = RedisHuey("reports", url=redis_url)

    @app.task()
    def build() -> None:
        return None

    build()
    client.rpush("queues:emails", "{}")
    client.rpush("rq:queue:default", "job")
    client.sadd("_kombu.binding.celery", "celery\x06\x16\x06\x16celery")
    found = {(q.name, q.kind): q.reason for q in discover(client)}
    assert found[("reports", "huey")] == "huey queue list"
    assert ("emails", "laravel") in found
    assert ("default", "rq") in found
    assert found[("celery", "celery")] == "Celery binding"
