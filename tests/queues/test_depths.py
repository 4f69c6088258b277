"""Queue depths as the screen and CLI see them, on real Redis filled by each system's layout."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
import redis
from huey import RedisHuey, SqliteHuey

from console.core.store import ledger
from console.core.store.engine import make_engine
from console.core.store.ledger import JobRun
from jobs.collectors.queues import collect_queues
from tests.queues.helpers import (
    HOST,
    fill_celery,
    fill_laravel,
    fill_rq,
    make_settings,
    queues_feed,
    spec,
)


@pytest.fixture
def client(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def _huey_with_tasks(redis_url: str, name: str, now_tasks: int, later: int) -> RedisHuey:
    app = RedisHuey(name, url=redis_url)

    @app.task()
    def send_mail(n: int) -> int:
        return n

    for n in range(now_tasks):
        send_mail(n)
    for n in range(later):
        task = send_mail.s(100 + n)
        task.eta = datetime.datetime(2100, 1, 1, 12, n)
        app.add_schedule(task)  # what the consumer does with a task not due yet
    return app


def test_every_kind_shows_its_numbers(tmp_path: Path, redis_url: str, client: redis.Redis) -> None:
    _huey_with_tasks(redis_url, "shop", now_tasks=3, later=2)
    fill_laravel(client, "emails", pending=4, delayed=2, reserved=1)
    fill_celery(client, "celery", pending=5, unacked=2)
    fill_rq(client, "high", pending=2, failed=3, age_s=600)
    settings = make_settings(
        tmp_path,
        redis_url,
        discover_queues=False,
        queues=(
            spec("shop", "huey"),
            spec("mail", "laravel", key="emails"),
            spec("celery", "celery"),
            spec("high", "rq"),
        ),
    )
    lines, error, _ = queues_feed(settings).queue_lines(HOST, time.time())
    got = {line.name: (line.pending, line.scheduled, line.reserved, line.failed) for line in lines}
    assert error is None
    assert got == {
        "shop": (3, 2, None, None),
        "mail": (4, 2, 1, None),
        "celery": (5, None, 2, None),
        "high": (2, 0, 0, 3),
    }
    by_name = {line.name: line for line in lines}
    assert 590 <= (by_name["high"].oldest_age_s or 0) <= 700  # RQ's enqueued_at
    assert 110 <= (by_name["mail"].oldest_age_s or 0) <= 200  # Laravel's pushedAt
    assert by_name["shop"].oldest_age_s is None  # huey does not stamp messages


def test_discovery_says_how_and_settings_rename_and_hide(
    tmp_path: Path, redis_url: str, client: redis.Redis
) -> None:
    _huey_with_tasks(redis_url, "demo_shop", now_tasks=1, later=0)
    fill_laravel(client, "default", pending=2, delayed=0, reserved=0)
    fill_rq(client, "low", pending=1, failed=0, age_s=5)
    fill_celery(client, "celery", pending=1, unacked=0)
    settings = make_settings(
        tmp_path,
        redis_url,
        queues=(spec("shop", "huey", key="demo_shop"), spec("low", "rq", hidden=True)),
    )
    lines, error, _ = queues_feed(settings).queue_lines(HOST, time.time())
    origins = {line.name: line.origin for line in lines}
    assert error is None
    assert origins == {
        "shop": "settings",  # renamed: huey's demo_shop
        "default": "found: Laravel queue list",
        "celery": "found: Celery binding",
    }  # "low" is hidden by the settings
    assert {line.name: line.pending for line in lines} == {"shop": 1, "default": 2, "celery": 1}


def test_thresholds_colour_a_backing_up_queue(
    tmp_path: Path, redis_url: str, client: redis.Redis
) -> None:
    client.rpush("jobs", *range(30))
    client.rpush("bulk", *range(5))
    settings = make_settings(
        tmp_path,
        redis_url,
        discover_queues=False,
        queues=(spec("jobs", "redis-list", warning=10, critical=25), spec("bulk", "redis-list")),
    )
    lines, _, _ = queues_feed(settings).queue_lines(HOST, time.time())
    assert {line.name: line.level for line in lines} == {"jobs": "critical", "bulk": "ok"}


def test_sqlite_huey_queue_is_watched_without_redis(tmp_path: Path) -> None:
    path = tmp_path / "shop-huey.db"
    app = SqliteHuey("demo_shop", filename=str(path))

    @app.task()
    def resize(n: int) -> int:
        return n

    for n in range(4):
        resize(n)
    settings = make_settings(
        tmp_path,
        None,
        queues=(
            spec("shop", "huey", key=f"sqlite:{path}#demo_shop"),
            spec("auto", "huey", key=f"sqlite:{path}"),  # the only queue in the file
            spec("gone", "huey", key=f"sqlite:{tmp_path / 'nope.db'}"),
            spec("list", "redis-list"),
        ),
    )
    lines, error, _ = queues_feed(settings).queue_lines(HOST, time.time())
    by_name = {line.name: line for line in lines}
    assert error is None
    assert (by_name["shop"].pending, by_name["auto"].pending) == (4, 4)
    assert "does not exist" in (by_name["gone"].error or "")
    assert not (tmp_path / "nope.db").exists()  # watching never creates a file
    assert by_name["list"].error == "no redis_url configured"
    snapshot = collect_queues(settings, None, 0.0)  # the worker's collection path too
    assert {q.name: q.pending for q in snapshot.queues}["shop"] == 4


def test_a_dead_redis_is_a_state_not_a_crash(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, "redis://127.0.0.1:1/0", queues=(spec("jobs", "redis-list"),)
    )
    run = JobRun(HOST, "collect_system_metrics", time.time() - 30, 12.0, "ok")
    ledger.record_runs(make_engine(settings.resolved_database_url), [run])
    view = queues_feed(settings).load(HOST)
    assert view.queues_error and view.queues_error.startswith("Redis")
    assert "refused" in view.queues_error
    assert [(q.name, q.pending) for q in view.queues] == [("jobs", None)]
    assert view.jobs_error and view.failures == () and view.failures_error is None
    # the worker's table is in the cache: the store's runs show, without judging them
    row = view.ledger[0]
    assert (row.task, row.schedule) == ("collect_system_metrics", "not published")
    assert not row.missed
