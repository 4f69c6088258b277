"""The periodic job ledger (MISSED with an injected clock) and huey's scheduled tasks."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path

import pytest
from huey import RedisHuey, crontab
from huey.registry import Message

from console.core import keys, periodic
from console.core.cache import open_cache
from console.core.report import instrument
from console.core.settings import Settings
from console.core.store import ledger
from console.core.store.engine import make_engine
from console.core.store.ledger import JobRun
from jobs import schedule
from tests.queues.helpers import HOST, make_settings, queues_feed, spec

T0 = dt.datetime(2026, 3, 2, 10, 0, 5, tzinfo=dt.UTC).timestamp()  # 10:00:05 UTC


def _ledger(settings: Settings, now: float) -> dict[str, periodic.LedgerRow]:
    return {row.task: row for row in queues_feed(settings, now).load(HOST).ledger}


def _worker_published(settings: Settings, **worker_values: object) -> None:
    """A worker (with its own settings) beats and publishes its table, as collection does."""
    open_cache(settings).beat(HOST, schedule.published(settings.with_overrides(**worker_values)))


def test_the_ledger_follows_the_workers_table_not_the_consoles(
    tmp_path: Path, redis_url: str
) -> None:
    settings = make_settings(tmp_path, redis_url, discover_queues=False)
    without = queues_feed(settings, T0).load(HOST)
    assert "no schedule published" in (without.ledger_error or "")
    assert not any(row.source == "stackwatch" for row in without.ledger)
    _worker_published(settings, collect_interval=30, store_interval=120, cleanup_hour=4)
    rows = _ledger(settings, T0)
    published = [
        (e.name, e.every, e.daily_hour)
        for e in schedule.schedule(
            settings.with_overrides(collect_interval=30, store_interval=120, cleanup_hour=4)
        )
    ]
    assert [(n, rows[n].schedule) for n, _, _ in published] == [
        ("collect_system_metrics", "every 30s"),
        ("reset_tps_counter", "every 30s"),
        ("store_metrics", "every 2m"),
        ("cleanup_old_metrics", "daily 04:00 UTC"),
        ("move_process_events", "every 30s"),
        ("evaluate_alerts", "every 10s"),
    ]


def test_a_minute_that_passed_while_the_worker_was_stopped_shows_missed(
    tmp_path: Path, redis_url: str
) -> None:
    settings = make_settings(tmp_path, redis_url, discover_queues=False)
    _worker_published(settings)
    engine = make_engine(settings.resolved_database_url)
    ledger.record_runs(
        engine,
        [
            JobRun(HOST, "collect_system_metrics", T0, 120.0, "ok"),
            JobRun(HOST, "store_metrics", T0 - 5, 80.0, "error", "database down"),
        ],
    )
    on_time = _ledger(settings, T0 + 50)  # 10:00:55: this minute's run happened
    assert not on_time["collect_system_metrics"].missed
    assert on_time["collect_system_metrics"].next_run == T0 - 5 + 60  # 10:01:00
    late = _ledger(settings, T0 + 120)  # 10:02:05: the 10:01 run never happened
    row = late["collect_system_metrics"]
    assert row.missed and row.outcome == "ok" and row.duration_ms == 120.0
    assert late["store_metrics"].error == "database down"
    assert not late["store_metrics"].missed  # every 5 minutes: 10:00 ran, 10:05 not due yet
    assert late["cleanup_old_metrics"].last_run is None
    assert late["cleanup_old_metrics"].schedule == "daily 02:00 UTC"


def test_an_apps_crontab_task_shows_next_run_and_missed(tmp_path: Path, redis_url: str) -> None:
    settings = make_settings(tmp_path, redis_url, discover_queues=False)
    app = RedisHuey("shop", url=redis_url)

    @app.periodic_task(crontab(minute="*/5"))
    def restock() -> None:
        return None

    instrument(app, settings=settings)
    app.execute(restock.s())
    item = open_cache(settings).map_all(keys.periodic_last(HOST))["shop/restock"]
    started, due = item["started"], item["next_due"]
    assert due > started and int(due) % 300 == 0  # the next multiple of five minutes
    rows = _ledger(settings, started + 1)
    assert rows["restock"].source == "shop" and not rows["restock"].missed
    assert _ledger(settings, due + 120)["restock"].missed


def test_scheduled_tasks_are_listed_revoked_and_restored(tmp_path: Path, redis_url: str) -> None:
    app = RedisHuey("mailer", url=redis_url)

    @app.task()
    def remind(user: str) -> str:
        return user

    task = remind.s("[b]ann[/b]\x1b]0;x\x07")
    task.eta = dt.datetime(2100, 1, 1, 9, 30)
    app.add_schedule(task)
    settings = make_settings(tmp_path, redis_url, queues=(spec("mailer", "huey"),))
    source = queues_feed(settings)
    rows = source.load(HOST).scheduled
    assert [(r.queue, r.task, r.revoked) for r in rows] == [("mailer", "remind", False)]
    assert rows[0].eta == dt.datetime(2100, 1, 1, 9, 30, tzinfo=dt.UTC).timestamp()
    assert "\\x1b]0;x\\x07" in rows[0].args and "\x1b" not in rows[0].args
    actions = source.actions(HOST)
    assert actions.revoke(rows[0]).message == "revoked"
    assert source.load(HOST).scheduled[0].revoked and app.is_revoked(task.id)
    assert actions.restore(rows[0]).message == "restored"
    assert not app.is_revoked(task.id)


def test_a_hostile_pickled_argument_is_never_imported(tmp_path: Path, redis_url: str) -> None:
    app = RedisHuey("mailer", url=redis_url)

    @app.task()
    def remind(when: object) -> None:
        return None

    task = remind.s(pytest.MonkeyPatch)  # a class the console must not import or call
    task.eta = dt.datetime(2100, 1, 1)
    app.add_schedule(task)
    settings = make_settings(tmp_path, redis_url, queues=(spec("mailer", "huey"),))
    rows = queues_feed(settings).load(HOST).scheduled
    assert rows[0].args == "(<_pytest.monkeypatch.MonkeyPatch>,)"
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple:
            return (os.system, (f"touch {marker}",))

    message = Message("evil-1", "x.remind", dt.datetime(2100, 1, 2), args=(Exploit(),), kwargs={})
    app.storage.add_to_schedule(pickle.dumps(message), dt.datetime(2100, 1, 2))
    rows = queues_feed(settings).load(HOST).scheduled
    assert rows[1].task_id == "evil-1" and "system" in rows[1].args
    assert not marker.exists()
