"""A failing instrumented huey task: listed with its exception, retried, deleted, flushed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from huey import RedisHuey
from sqlalchemy import select

from console.core import keys
from console.core.cache import open_cache
from console.core.queues.actions import ActionRefused
from console.core.report import instrument
from console.core.settings import Settings
from console.core.store import ledger
from console.core.store.engine import make_engine, reading
from console.core.store.models import AuditRow
from tests.queues.helpers import HOST, make_settings, queues_feed, spec

CALLS: list[tuple[int, str]] = []


def _app(redis_url: str, settings: Settings) -> tuple[RedisHuey, object]:
    app = RedisHuey("billing", url=redis_url)

    @app.task()
    def charge(order: int, note: str = "") -> int:
        CALLS.append((order, note))
        if len(CALLS) == 1:
            raise ValueError(f"card [red]declined[/red] \x1b[31m for {order}")
        return order

    instrument(app, settings=settings, capture_args=True)
    return app, charge


def _run_one(app: RedisHuey) -> None:
    task = app.dequeue()
    assert task is not None
    app.execute(task)


def _persist(settings: Settings) -> None:
    """What store_metrics does: move the cached failures into job_failures."""
    cache = open_cache(settings)
    ledger.record_failures(
        make_engine(settings.resolved_database_url), HOST, cache.drain(keys.job_failures(HOST))
    )


@pytest.fixture
def settings(tmp_path: Path, redis_url: str) -> Settings:
    CALLS.clear()
    return make_settings(tmp_path, redis_url, queues=(spec("billing", "huey"),))


def test_failure_is_listed_with_its_exception_then_retry_runs_it_again(
    settings: Settings, redis_url: str
) -> None:
    app, charge = _app(redis_url, settings)
    charge(42, note="gift")
    _run_one(app)
    source = queues_feed(settings)
    waiting = source.load(HOST).failures
    assert len(waiting) == 1 and waiting[0].id is None  # still in the cache
    _persist(settings)
    view = source.load(HOST)
    failure = view.failures[0]
    assert failure.task == "charge" and failure.queue == "billing"
    assert failure.exception == "ValueError: card [red]declined[/red] \\x1b[31m for 42"
    assert "Traceback" in failure.traceback and failure.retryable
    assert view.tiles is not None and view.tiles.failed_past_7d == 1
    assert {(t.task, t.count, t.errors) for t in view.tasks} == {("charge", 1, 1)}

    done = source.actions(HOST).retry(failure)
    assert "re-enqueued charge on billing" in done.message
    assert app.pending_count() == 1
    _run_one(app)  # the consumer picks it up: the real task runs again with its arguments
    assert CALLS == [(42, "gift"), (42, "gift")]
    engine = make_engine(settings.resolved_database_url)
    with reading(engine) as conn:
        audit = conn.execute(select(AuditRow.action, AuditRow.target, AuditRow.result)).all()
    assert audit[0].action == "queue.retry" and audit[0].result.startswith("ok: re-enqueued")


def test_delete_and_flush_and_read_only(settings: Settings, redis_url: str) -> None:
    app, charge = _app(redis_url, settings)
    for n in range(3):
        CALLS.clear()
        charge(n)
        _run_one(app)
    _persist(settings)
    source = queues_feed(settings)
    rows = source.load(HOST).failures
    assert len(rows) == 3
    read_only = queues_feed(settings.with_overrides(read_only=True)).actions(HOST)
    with pytest.raises(ActionRefused, match="read-only"):
        read_only.delete(rows[0])
    with pytest.raises(ActionRefused, match="read-only"):
        read_only.retry(rows[0])
    actions = source.actions(HOST)
    assert actions.delete(rows[0]).message == f"deleted failure {rows[0].id}"
    assert len(source.load(HOST).failures) == 2
    assert actions.flush().message == "deleted 2 failure records"
    assert source.load(HOST).failures == ()


def test_without_captured_arguments_retry_is_refused(settings: Settings, redis_url: str) -> None:
    app = RedisHuey("billing", url=redis_url)

    @app.task()
    def boom() -> None:
        raise RuntimeError("no")

    instrument(app, settings=settings)  # capture_args left off
    boom()
    _run_one(app)
    failure = queues_feed(settings).load(HOST).failures[0]
    assert not failure.retryable and "capture_args" in (failure.why_not or "")
    with pytest.raises(ActionRefused, match="cannot retry"):
        queues_feed(settings).actions(HOST).retry(failure)


def test_in_flight_task_is_listed_and_flagged_when_long(settings: Settings) -> None:
    cache = open_cache(settings)
    now = time.time()
    cache.map_set(
        keys.jobs_inflight(HOST), "t1", {"task": "slow", "queue": "b", "started": now - 900}
    )
    cache.map_set(
        keys.jobs_inflight(HOST), "t2", {"task": "quick", "queue": "b", "started": now - 2}
    )
    rows = queues_feed(settings, now).load(HOST).inflight
    assert [(r.task, r.overdue) for r in rows] == [("slow", True), ("quick", False)]
