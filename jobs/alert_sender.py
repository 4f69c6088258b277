"""The alert sender: a thread of the worker that empties the outbox, one delivery at a time.

It runs beside huey's job threads, not on them, so a target that hangs until its timeout
never delays a collection. Woken at once when the evaluation queues a message, and every
second for retries. One sender per host at a time (a huey lock, as the jobs have).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from huey.exceptions import TaskLockedException

from console.core import keys
from console.core.alerts import outbox
from console.core.alerts.deliver import send
from console.core.errors import SourceUnavailable
from console.core.redact import redact
from console.core.sanitize import first_line
from console.core.store.alert_history import HistoryEntry
from jobs.context import JobContext

log = logging.getLogger("stackwatch.alerts")
LOCK = "deliver_alerts"
POLL_S = 1.0  # retries are looked for this often
WATCH_S = 0.25  # the event stream is looked at this often
# States worth evaluating the rules at once for (the event listener's instant path).
URGENT_STATES = frozenset({"FATAL", "EXITED", "BACKOFF", "STARTING"})

Sender = Callable[[str, outbox.Notification, str], str | None]


def _entry(d: outbox.Delivery, event: str, now: float, detail: str | None = None) -> HistoryEntry:
    n = d.notification
    return HistoryEntry(
        now,
        n.fingerprint,
        n.rule,
        n.subject,
        event,
        f"{n.event}: {n.summary}",
        n.value,
        n.threshold,
        d.shown,
        detail,
    )


def deliver_due(ctx: JobContext, now: float, sender: Sender = send) -> list[HistoryEntry]:
    """Try every delivery that is due, oldest first; what happened goes to the history (and
    is returned)."""
    settings, host = ctx.settings, ctx.host
    targets = outbox.known_targets(
        outbox.all_targets(settings.alerts_notify, {r.name: r.notify for r in settings.alert_rules})
    )
    history = []
    for delivery in outbox.pending(ctx.cache, host):
        if delivery.next_at > now:
            continue
        target = targets.get(delivery.target_key)
        if target is None:
            outbox.done(ctx.cache, host, delivery)
            history.append(_entry(delivery, "dropped", now, "the target is no longer configured"))
            continue
        try:
            error = sender(target, delivery.notification, delivery.rule_kind)
        except Exception as exc:  # a notifier's own bug: this delivery fails and is retried
            error = redact(f"{type(exc).__name__}: {first_line(str(exc), 200)}", [target])
        now = ctx.clock()
        if error is None:
            outbox.done(ctx.cache, host, delivery)
            history.append(_entry(delivery, "sent", now, f"after {delivery.attempts + 1} tries"))
        else:
            again = outbox.failed(ctx.cache, host, delivery, error, now, settings.alerts_retry_max)
            log.warning("alert to %s failed (try %d): %s", delivery.shown, again.attempts, error)
            history.append(_entry(delivery, "failed", now, error))
    ctx.alert_history.add(history)
    return history


class EventWatch:
    """Where supervisord's event listener runs, a FATAL reaches the cache stream at once: this
    notices it within WATCH_S and has the rules evaluated now, not at their next interval."""

    def __init__(self, ctx: JobContext, evaluate: Callable[[], object]) -> None:
        self.ctx = ctx
        self.evaluate = evaluate
        self.last: str | None = None

    def check(self) -> bool:
        """True when it asked for an evaluation."""
        name = keys.process_events(self.ctx.host)
        if self.last is None:
            tail = self.ctx.cache.stream_tail(name, 1)
            self.last = tail[-1].id if tail else "0-0"
            return False
        entries = self.ctx.cache.stream_after(name, self.last, 500)
        if not entries:
            return False
        self.last = entries[-1].id
        if any(entry.item.get("to_state") in URGENT_STATES for entry in entries):
            self.evaluate()
            return True
        return False


class AlertSender(threading.Thread):
    def __init__(
        self, ctx: JobContext, sender: Sender = send, watch: EventWatch | None = None
    ) -> None:
        super().__init__(name="alert-sender", daemon=True)
        self.ctx = ctx
        self.sender = sender
        self.watch = watch
        self.stopping = threading.Event()

    def run(self) -> None:
        last_pass = 0.0
        while not self.stopping.is_set():
            woken = self.ctx.wake_sender.wait(WATCH_S if self.watch else POLL_S)
            self.ctx.wake_sender.clear()
            try:
                self._watch()
                if woken or time.monotonic() - last_pass >= POLL_S:
                    last_pass = time.monotonic()
                    self.once()
            except Exception:  # said, and the sender goes on: a dead sender loses every alert
                log.exception("alert sender: unexpected error")
                time.sleep(POLL_S)

    def _watch(self) -> None:
        if self.watch is None:
            return
        try:
            self.watch.check()
        except SourceUnavailable:
            pass  # said by the pass below, and by the jobs
        except Exception as exc:  # the broker refuses the task: the interval still evaluates
            log.warning("cannot ask for an evaluation: %s", exc)

    def once(self) -> None:
        try:
            if self.ctx.huey is None:
                deliver_due(self.ctx, self.ctx.clock(), self.sender)
            else:
                with self.ctx.huey.lock_task(LOCK):
                    deliver_due(self.ctx, self.ctx.clock(), self.sender)
        except TaskLockedException:
            return  # another worker of this host sends right now
        except SourceUnavailable as exc:
            log.warning("alert sender: %s", exc)
            time.sleep(POLL_S)

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.ctx.wake_sender.set()
        self.join(timeout)
