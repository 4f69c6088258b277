"""Shared set-up for the queues tests: settings on a private Redis and a fresh store."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import redis

from console.core.settings import QueueSpec, Settings
from console.core.store.engine import make_engine, upgrade

HOST = "qhost"


def make_settings(tmp_path: Path, redis_url: str | None, **values: object) -> Settings:
    """Settings for one test; the store is created at the head revision."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    base = {
        "host": HOST,
        "redis_url": redis_url,
        "database_url": url,
        "data_dir": str(tmp_path / "data"),
    }
    return Settings(**{**base, **values})  # type: ignore[arg-type]


def fill_laravel(
    client: redis.Redis, queue: str, pending: int, delayed: int, reserved: int
) -> None:
    """Keys as Laravel's RedisQueue writes them: RPUSH payloads, delayed/reserved zsets."""
    now = time.time()
    for n in range(pending):
        payload = {
            "uuid": f"u{n}",
            "displayName": "App\\Jobs\\SendMail",
            "job": "Illuminate\\Queue\\CallQueuedHandler@call",
            "attempts": 0,
            "pushedAt": f"{now - 120 + n:.4f}",
        }
        client.rpush(f"queues:{queue}", json.dumps(payload))
    for n in range(delayed):
        client.zadd(f"queues:{queue}:delayed", {json.dumps({"uuid": f"d{n}"}): now + 60})
    for n in range(reserved):
        client.zadd(f"queues:{queue}:reserved", {json.dumps({"uuid": f"r{n}"}): now + 90})


def fill_celery(client: redis.Redis, queue: str, pending: int, unacked: int) -> None:
    """Keys as kombu's Redis transport writes them: LPUSH messages, binding set, unacked."""
    body = {"body": "W1tdLCB7fV0=", "headers": {"task": "app.add", "id": "x"}, "properties": {}}
    client.sadd(f"_kombu.binding.{queue}", f"{queue}\x06\x16\x06\x16{queue}")
    for _ in range(pending):
        client.lpush(queue, json.dumps(body))
    for n in range(unacked):
        client.hset("unacked", f"tag-{n}", json.dumps([body, "", queue]))
        client.zadd("unacked_index", {f"tag-{n}": time.time()})


def fill_rq(client: redis.Redis, queue: str, pending: int, failed: int, age_s: float) -> None:
    """Keys as RQ writes them: job hashes, rq:queue list, registries as zsets."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(time.time() - age_s))
    client.sadd("rq:queues", f"rq:queue:{queue}")
    for n in range(pending):
        client.hset(f"rq:job:p{n}", mapping={"status": "queued", "enqueued_at": stamp})
        client.rpush(f"rq:queue:{queue}", f"p{n}")
    for n in range(failed):
        client.zadd(f"rq:failed:{queue}", {f"f{n}": time.time() + 3600})


def spec(name: str, kind: str, key: str | None = None, **limits: int) -> QueueSpec:
    return QueueSpec(name, kind=kind, key=key, **limits)  # type: ignore[arg-type]


def queues_feed(settings: Settings, now: float | None = None) -> Any:
    """The real queues feed of `settings`, through the app's seam (`now`: a fixed clock)."""
    from console.core.feeds import build_feeds

    clock = (lambda: now) if now is not None else time.time
    return build_feeds(settings, clock).queues
