"""Delivery to real receivers on loopback: webhook JSON, mail, a command; a receiver that is
down gets the message once it is back, once; the outbox stays bounded; no secret leaks."""

from __future__ import annotations

import email
import email.policy
import json
import logging
import sys
from pathlib import Path

import pytest

from console.core.alerts import outbox
from console.core.alerts.deliver import send
from console.core.alerts.model import Notification
from jobs.alert_sender import deliver_due
from jobs.context import JobContext
from tests.alerts.receivers import Webhook, free_port, smtp, webhook
from tests.jobs.helpers import settings_for

T0 = 1_800_000_000.0
HOST = "test-host"


def note(subject: str = "web:web_0", event: str = "firing", ts: float = T0) -> Notification:
    return Notification(
        id=f"fp1:{event}:{int(ts)}",
        event=event,
        host=HOST,
        rule="program_fatal",
        subject=subject,
        summary=f"{subject} is FATAL (supervisord gave up starting it) for 0s",
        since=ts - 30,
        ts=ts,
        value=3,
        threshold=5,
        fingerprint="fp1",
    )


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def context(redis_url: str, targets: tuple[str, ...], **values) -> tuple[JobContext, Clock]:
    clock = Clock()
    settings = settings_for(redis_url=redis_url, alerts_notify=targets, **values)
    return JobContext(settings, clock=clock), clock


def test_webhook_json_says_host_what_since_value_and_command() -> None:
    with webhook() as hook:
        assert send(hook.url, note(), "fatal") is None
    (got,) = hook.received
    assert got["title"] == "[FIRING] test-host: program_fatal — web:web_0"
    body = got["message"]
    assert "host: test-host" in body and "what: web:web_0 is FATAL" in body
    assert "since: 2027-01-15 07:59:30 UTC (30s)" in body
    assert "value: 3 (threshold 5)" in body
    assert "look closer: stackwatch --host test-host logs web:web_0 --stderr" in body
    assert got["type"] == "failure"


def test_outside_text_arrives_as_text() -> None:
    hostile = "web:\x1b[31mred\x07\n[bold]x</b>;rm -rf /"
    with webhook() as hook:
        assert send(hook.url, note(subject=hostile), "fatal") is None
    (got,) = hook.received
    assert "\x1b" not in got["message"] and "\x07" not in got["message"]
    assert "\x1b" not in got["title"] and "\n" not in got["title"]
    # the command to look closer quotes the name for a shell
    assert "logs 'web:\\x1b[31mred" in got["message"]


def test_mail_arrives_with_the_same_text() -> None:
    with smtp() as (target, box):
        assert send(target, note(event="resolved", ts=T0 + 60), "fatal") is None
    (mail,) = box.messages
    parsed = email.message_from_bytes(mail, policy=email.policy.default)
    assert parsed["Subject"] == "[RESOLVED] test-host: program_fatal — web:web_0"
    assert "resolved 2027-01-15 08:01:00 UTC" in parsed.get_content()


def test_a_command_target_reads_our_json(tmp_path: Path) -> None:
    out = tmp_path / "got.json"
    script = tmp_path / "take.py"
    script.write_text(
        f"import sys, pathlib; pathlib.Path({str(out)!r}).write_text(sys.stdin.read())"
    )
    assert send(f"command:{sys.executable} {script}", note(), "fatal") is None
    got = json.loads(out.read_text())
    assert got["event"] == "firing" and got["subject"] == "web:web_0"
    assert got["look_closer"].startswith("stackwatch --host test-host logs")
    failing = f"command:{sys.executable} -c 'import sys; sys.exit(3)'"
    assert "exited 3" in (send(failing, note(), "fatal") or "")


def test_a_failure_never_says_the_targets_secret(caplog: pytest.LogCaptureFixture) -> None:
    target = f"json://user:hunter22@127.0.0.1:{free_port()}/hooks/s3cr3tT0ken"
    why = send(target, note(), "fatal", timeout=2)
    assert why is not None
    assert "hunter22" not in why and "s3cr3tT0ken" not in why
    assert (
        outbox.Delivery("x", "k", outbox.mask_target(target), "fatal", note(), T0, T0).shown
        == f"json://127.0.0.1:{target.split(':')[3].split('/')[0]}/***"
    )


def test_a_receiver_down_then_back_gets_the_message_once(redis_url: str) -> None:
    hook = Webhook()  # not started: connection refused
    ctx, clock = context(redis_url, (hook.url,), alerts_retry_max=20)
    outbox.put(ctx.cache, HOST, note(), "fatal", (hook.url,), T0, bound=100)
    outbox.put(ctx.cache, HOST, note(), "fatal", (hook.url,), T0, bound=100)  # queued twice
    history = deliver_due(ctx, T0)
    assert [h.event for h in history] == ["failed"]
    (waiting,) = outbox.pending(ctx.cache, HOST)
    assert waiting.attempts == 1 and waiting.next_at == T0 + 5
    clock.now = T0 + 4
    assert deliver_due(ctx, clock.now) == []  # not due yet: backoff
    hook.start()
    try:
        clock.now = T0 + 5
        assert [h.event for h in deliver_due(ctx, clock.now)] == ["sent"]
        clock.now = T0 + 60
        assert deliver_due(ctx, clock.now) == []
    finally:
        hook.stop()
    assert len(hook.received) == 1 and outbox.pending(ctx.cache, HOST) == []
    ctx.close()


def test_backoff_doubles_up_to_the_setting() -> None:
    assert [outbox.backoff(n, 30) for n in range(1, 7)] == [5, 10, 20, 30, 30, 30]


def test_the_outbox_is_bounded_and_says_what_it_dropped(redis_url: str) -> None:
    ctx, _ = context(redis_url, ("json://127.0.0.1:9/x",))
    lost = []
    for i in range(12):
        lost += outbox.put(
            ctx.cache, HOST, note(ts=T0 + i), "fatal", ("json://127.0.0.1:9/x",), T0 + i, bound=10
        )
    waiting = outbox.pending(ctx.cache, HOST)
    assert len(waiting) == 10 and len(lost) == 2
    assert [d.notification.ts for d in lost] == [T0, T0 + 1]
    ctx.close()


def test_a_target_no_longer_configured_is_dropped_not_retried(redis_url: str) -> None:
    ctx, _ = context(redis_url, ())
    outbox.put(ctx.cache, HOST, note(), "fatal", ("json://127.0.0.1:9/gone",), T0, bound=10)
    assert [h.event for h in deliver_due(ctx, T0)] == ["dropped"]
    assert outbox.pending(ctx.cache, HOST) == []
    ctx.close()


def test_worker_log_of_a_failure_is_masked(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    target = f"json://127.0.0.1:{free_port()}/hooks/s3cr3tT0ken"
    ctx, _ = context(redis_url, (target,))
    outbox.put(ctx.cache, HOST, note(), "fatal", (target,), T0, bound=10)
    with caplog.at_level(logging.WARNING):
        deliver_due(ctx, T0)
    assert "failed" in caplog.text and "s3cr3tT0ken" not in caplog.text
    ctx.close()


def test_a_notifier_that_raises_is_a_failed_try_not_a_dead_sender(redis_url: str) -> None:
    target = "json://127.0.0.1:9/hooks/s3cr3tT0ken"
    ctx, _ = context(redis_url, (target,))
    outbox.put(ctx.cache, HOST, note(), "fatal", (target,), T0, bound=10)

    def broken(*_: object) -> str | None:
        raise RuntimeError(f"plugin bug near {target}")

    (entry,) = deliver_due(ctx, T0, sender=broken)
    assert entry.event == "failed" and "RuntimeError" in (entry.detail or "")
    assert "s3cr3tT0ken" not in (entry.detail or "")
    assert outbox.pending(ctx.cache, HOST)[0].attempts == 1
    ctx.close()
