"""What the queues screen can change: retry, delete and flush failed jobs; revoke and restore
scheduled huey tasks. Each is refused in read-only mode and written to the audit log.

Blocking: call from a thread. Every method returns a one-line result or raises
`ActionRefused` / `SourceUnavailable` with a one-line message.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import redis

from console.core.errors import SourceUnavailable, StackwatchError
from console.core.queues import failures, huey_tasks
from console.core.queues.backends import QueueBackends
from console.core.queues.failures import Failure
from console.core.queues.huey_source import HueyKeyProblem, close_huey
from console.core.queues.huey_tasks import NotRetryable, ScheduledTask
from console.core.sanitize import first_line
from console.core.settings import QueueSpec
from console.core.store import audit

T = TypeVar("T")


class ActionRefused(StackwatchError):
    """The action is not allowed or not possible (read-only mode, nothing to retry...)."""


@dataclass(frozen=True)
class Done:
    """What happened, in one line for a notification."""

    message: str
    audited: bool = True


class QueueActions:
    def __init__(self, sources: QueueBackends) -> None:
        self.sources = sources
        self.settings = sources.settings
        self.host = sources.host  # the host whose queues and failures these are

    def _check(self, what: str) -> None:
        if self.settings.read_only:
            raise ActionRefused(f"read-only mode: {what} refused")

    def _audit(self, action: str, target: str, command: str, result: str) -> bool:
        try:
            audit.record(
                self.sources.engine,
                [audit.entry(self.settings.host, action, target, command, result)],
            )
        except StackwatchError:
            return False  # the action happened; the message says the audit write failed
        return True

    def _done(self, action: str, target: str, command: str, message: str) -> Done:
        audited = self._audit(action, target, command, "ok: " + message)
        return Done(message if audited else f"{message} (audit log unavailable)", audited)

    def _huey_call(self, queue: str, call: Callable[[Any], str]) -> str:
        specs = [w.spec for w in self.sources.watched()[0]]
        return _on_huey(queue, lambda: self.sources.huey_by_name(queue, specs), call)

    def retry(self, failure: Failure) -> Done:
        """Enqueue a failed job again with its captured arguments, on its own queue."""
        target = f"{failure.queue}/{failure.task} (failure {failure.id or failure.task_id})"
        self._check(f"retry {target}")
        try:
            name, args, kwargs = huey_tasks.replay_arguments(failure.args)
        except NotRetryable as exc:
            raise ActionRefused(f"cannot retry {failure.task}: {exc}") from None
        new_id = self._huey_call(
            failure.queue, lambda app: huey_tasks.enqueue_again(app, name, args, kwargs)
        )
        message = f"re-enqueued {failure.task} on {failure.queue} as {new_id}"
        return self._done("queue.retry", target, f"huey enqueue {name}", message)

    def delete(self, failure: Failure) -> Done:
        """Delete one stored failure record."""
        target = f"{failure.queue}/{failure.task} (failure {failure.id})"
        self._check(f"delete {target}")
        if failure.id is None:
            raise ActionRefused("this failure is not stored yet (the worker stores it shortly)")
        gone = failures.remove(self.sources.engine, self.host, failure.id)
        message = f"deleted failure {failure.id}" if gone else f"failure {failure.id} was gone"
        return self._done("queue.failure.delete", target, "", message)

    def flush(self) -> Done:
        """Delete every stored failure record of this host."""
        target = f"all job failures of {self.host}"
        self._check(f"flush {target}")
        count = failures.flush(self.sources.engine, self.host)
        return self._done("queue.failure.flush", target, "", f"deleted {count} failure records")

    def revoke(self, task: ScheduledTask) -> Done:
        target = f"{task.queue}/{task.task} {task.task_id}"
        self._check(f"revoke {target}")
        spec = self._spec(task.queue)
        self._on_spec(spec, lambda app: huey_tasks.revoke(app, task.task_id))
        return self._done("queue.revoke", target, f"huey revoke_by_id {task.task_id}", "revoked")

    def restore(self, task: ScheduledTask) -> Done:
        target = f"{task.queue}/{task.task} {task.task_id}"
        self._check(f"restore {target}")
        spec = self._spec(task.queue)
        was = self._on_spec(spec, lambda app: huey_tasks.restore(app, task.task_id))
        message = "restored" if was else "was not revoked"
        return self._done("queue.restore", target, f"huey restore_by_id {task.task_id}", message)

    def _spec(self, queue: str) -> QueueSpec:
        for item in self.sources.watched()[0]:
            if item.spec.name == queue and item.spec.kind == "huey":
                return item.spec
        raise ActionRefused(f"queue {queue} is no longer watched")

    def _on_spec(self, spec: QueueSpec, call: Callable[[Any], T]) -> T:
        return _on_huey(spec.name, lambda: self.sources.huey(spec), call)


def _on_huey(queue: str, open_app: Callable[[], Any], call: Callable[[Any], T]) -> T:
    """Run `call` on a huey opened for one action, closed after; faults become our errors."""
    try:
        app = open_app()
        try:
            return call(app)
        finally:
            close_huey(app)
    except HueyKeyProblem as exc:
        raise ActionRefused(str(exc)) from None
    except (redis.ConnectionError, redis.TimeoutError, sqlite3.Error) as exc:
        raise SourceUnavailable(f"queue {queue}: {first_line(str(exc))}") from None
