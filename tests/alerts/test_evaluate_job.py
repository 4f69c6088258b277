"""evaluate_alerts over a real Redis and a real store: a FATAL seen in the event stream queues
one message and one "resolved"; a silence holds it back until it ends; history is kept."""

from __future__ import annotations

import time
from pathlib import Path

from console.core import keys
from console.core.alerts import kept, outbox
from console.core.alerts.silences import new_silence
from console.core.events.model import ProcessEvent
from console.core.store.alert_history import recent
from console.core.store.engine import make_engine, upgrade
from jobs.alert_sender import deliver_due
from jobs.alerts import evaluate_alerts
from jobs.context import JobContext
from tests.alerts.receivers import webhook
from tests.jobs.helpers import settings_for

HOST = "test-host"


def make_ctx(redis_url: str, tmp_path: Path, target: str) -> JobContext:
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    upgrade(make_engine(url))
    settings = settings_for(redis_url=redis_url, database_url=url, alerts_notify=(target,))
    now = [time.time()]
    ctx = JobContext(settings, clock=lambda: now[0])
    ctx.cache.beat(HOST, {})
    ctx.now = now  # type: ignore[attr-defined]
    return ctx


def at(ctx: JobContext, when: float) -> float:
    ctx.now[0] = when  # type: ignore[attr-defined]
    return when


def event(ctx: JobContext, state: str, ts: float, program: str = "web:web_0") -> None:
    item = ProcessEvent(ts, "default", "process", program, state, expected=None).to_item()
    ctx.cache.stream_add(keys.process_events(HOST), item, 1000)


def test_fatal_sends_once_then_resolved_once(redis_url: str, tmp_path: Path) -> None:
    with webhook() as hook:
        ctx = make_ctx(redis_url, tmp_path, hook.url)
        now = time.time()
        event(ctx, "FATAL", now - 1)
        evaluate_alerts(ctx, at(ctx, now))
        evaluate_alerts(ctx, at(ctx, now + 1))  # still FATAL: same alert, no second message
        deliver_due(ctx, at(ctx, now + 1))
        event(ctx, "RUNNING", now + 2)
        evaluate_alerts(ctx, at(ctx, now + 3))
        deliver_due(ctx, at(ctx, now + 3))
        evaluate_alerts(ctx, at(ctx, now + 4))
        deliver_due(ctx, at(ctx, now + 4))
    assert [t.split(":")[0] for t in hook.titles()] == [
        "[FIRING] test-host",
        "[RESOLVED] test-host",
    ]
    events = [h.event for h in reversed(recent(ctx.engine, HOST, 0))]
    assert events == ["firing", "sent", "resolved", "sent"]
    (state,) = kept.load_states(ctx.cache, HOST).values()
    assert state.status == "resolved"
    ctx.close()


def test_a_silenced_alert_sends_nothing_and_the_silence_expires(
    redis_url: str, tmp_path: Path
) -> None:
    with webhook() as hook:
        ctx = make_ctx(redis_url, tmp_path, hook.url)
        now = time.time()
        kept.add_silence(ctx.cache, HOST, new_silence("program_fatal", 60, "deploy", "ops", now))
        event(ctx, "FATAL", now - 1)
        evaluate_alerts(ctx, at(ctx, now))
        deliver_due(ctx, at(ctx, now))
        assert outbox.pending(ctx.cache, HOST) == [] and hook.received == []
        (state,) = kept.load_states(ctx.cache, HOST).values()
        assert state.status == "firing" and state.silenced
        evaluate_alerts(ctx, at(ctx, now + 61))  # the silence ended, the program is still FATAL
        deliver_due(ctx, at(ctx, now + 61))
    assert kept.load_silences(ctx.cache, HOST) == []
    assert [t.split(":")[0] for t in hook.titles()] == ["[FIRING] test-host"]
    events = [h.event for h in reversed(recent(ctx.engine, HOST, 0))]
    assert events == ["silenced", "unsilenced", "sent"]
    ctx.close()


def test_the_event_watch_asks_for_an_evaluation_on_a_new_fatal(
    redis_url: str, tmp_path: Path
) -> None:
    from jobs.alert_sender import EventWatch

    ctx = make_ctx(redis_url, tmp_path, "json://127.0.0.1:9/x")
    asked: list[int] = []
    watch = EventWatch(ctx, lambda: asked.append(1))
    now = time.time()
    event(ctx, "FATAL", now - 60)  # before the worker started watching: the interval's job
    assert not watch.check() and asked == []
    event(ctx, "RUNNING", now)
    assert not watch.check()  # nothing worth an evaluation now
    event(ctx, "EXITED", now + 1)
    event(ctx, "FATAL", now + 2)
    assert watch.check() and asked == [1]
    assert not watch.check()  # each event once
    ctx.close()


def test_one_worker_of_the_fleet_says_a_host_stopped_reporting(
    redis_url: str, tmp_path: Path
) -> None:
    from jobs.alert_peers import peers

    with webhook() as hook:
        first = make_ctx(redis_url, tmp_path, hook.url)
        second_settings = settings_for(
            host="test-host-2",
            redis_url=redis_url,
            database_url=first.settings.database_url,
            alerts_notify=(hook.url,),
        )
        second = JobContext(second_settings)
        second.cache.beat("test-host-2", {})
        now = time.time()
        first.cache.beat("gone-host", {})  # its worker beat once, then died
        assert set(peers(first) or {}) == {"test-host-2", "gone-host"}
        assert peers(second) is None  # the lease is the first worker's
        evaluate_alerts(first, at(first, now + 301))
        evaluate_alerts(second, now + 301)
        deliver_due(first, at(first, now + 301))
        deliver_due(second, now + 301)
    silent = [t for t in hook.titles() if "host_silent" in t]
    assert len(silent) == 2  # gone-host and test-host-2 (beats are not refreshed here)
    assert all(t.startswith("[FIRING] test-host: host_silent") for t in silent)
    first.close()
    second.close()
