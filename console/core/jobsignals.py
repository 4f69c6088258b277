"""huey signal handlers: what an instrumented consumer reports about the tasks it runs.

Handlers run synchronously in the consumer's worker threads, so each does at most two small
cache calls, and a dead cache costs nothing for a few seconds (breaker) and logs once a minute.
"""

from __future__ import annotations

import calendar
import logging
import threading
import time
import traceback
from typing import Any

from console.core import jobhistory, keys
from console.core.cache import Cache
from console.core.errors import SourceUnavailable
from console.core.sanitize import clean, first_line
from console.core.throttle import Breaker, RepeatFilter

MAX_EVENTS = 20_000  # job events kept between two rolls
MAX_FAILURES = 1_000  # failures waiting to be persisted
MAX_TRACKED = 10_000  # local start/enqueue times kept (tasks that never finish are dropped)
TRACEBACK_LINES = 12

log = logging.getLogger("stackwatch.jobs")
log.addFilter(RepeatFilter())

FINISHED = {
    "complete": "ok",
    "error": "error",
    "timeout": "error",
    "interrupted": "interrupted",
    "canceled": "canceled",
}


def _epoch(value: Any) -> float | None:
    """A huey eta (naive UTC datetime by default) as epoch seconds."""
    if value is None or not hasattr(value, "timetuple"):
        return None
    return calendar.timegm(value.utctimetuple()) + value.microsecond / 1e6


class JobRecorder:
    """Turns huey signals into in-flight entries, job events and failures in the cache."""

    def __init__(
        self,
        host: str,
        queue: str,
        cache: Cache,
        capture_args: bool = False,
        throughput: bool = True,
    ) -> None:
        self.host = host
        self.queue = queue
        self.cache = cache
        self.capture_args = capture_args
        # False for stackwatch's own queue: its collection jobs are not the host's work
        self.throughput = throughput
        self.breaker = Breaker()
        self._started: dict[str, tuple[float, float, float | None]] = {}
        self._enqueued: dict[str, float] = {}
        self._lock = threading.Lock()

    def handle(self, signal: str, task: Any, *args: Any) -> None:
        """The receiver connected to every huey signal."""
        now = time.time()
        if signal == "enqueued":
            self._remember(self._enqueued, task.id, now)
        elif signal == "executing":
            self._executing(task, now)
        elif signal in FINISHED:
            self._finished(signal, task, now, args[0] if args else None)

    def _remember(self, table: dict, key: str, value: Any) -> None:
        with self._lock:
            if len(table) >= MAX_TRACKED:
                table.pop(next(iter(table)))
            table[key] = value

    def _executing(self, task: Any, now: float) -> None:
        with self._lock:
            queued = self._enqueued.pop(task.id, None)
        queued = _epoch(getattr(task, "eta", None)) or queued
        wait_ms = max(0.0, (now - queued) * 1000) if queued else None
        self._remember(self._started, task.id, (time.monotonic(), now, wait_ms))
        item = {"ts": now, "task": task.name, "queue": self.queue, "started": now}
        self._safely(lambda: self.cache.map_set(keys.jobs_inflight(self.host), task.id, item))

    def _finished(self, signal: str, task: Any, now: float, exc: BaseException | None) -> None:
        with self._lock:
            start = self._started.pop(task.id, None)
        runtime_ms = (time.monotonic() - start[0]) * 1000 if start else None
        event = {
            "ts": now,
            "task": task.name,
            "queue": self.queue,
            "outcome": FINISHED[signal],
            "runtime_ms": runtime_ms,
            "wait_ms": start[2] if start else None,
        }

        def send() -> None:
            self.cache.map_del(keys.jobs_inflight(self.host), task.id)
            if self.throughput:
                self.cache.push(keys.job_events(self.host), event, MAX_EVENTS)
            jobhistory.remember(self.cache, self.host, task, event)
            if signal in ("error", "timeout"):
                failure = self._failure(signal, task, now, exc)
                self.cache.push(keys.job_failures(self.host), failure, MAX_FAILURES)

        self._safely(send)

    def _failure(self, signal: str, task: Any, now: float, exc: BaseException | None) -> dict:
        if exc is not None:
            lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
            text = "".join(lines).splitlines()[-TRACEBACK_LINES:]
            exception = first_line(f"{type(exc).__name__}: {exc}", 500)
        else:
            text, exception = [], "timed out" if signal == "timeout" else signal
        failure = {
            "ts": now,
            "task": task.name,
            "task_id": task.id,
            "queue": self.queue,
            "retries": int(getattr(task, "retries", 0) or 0),
            "exception": exception,
            "traceback": clean("\n".join(text), 4000) or None,
        }
        if self.capture_args:
            failure["args"] = {
                "args": repr(task.args)[:2000],
                "kwargs": repr(task.kwargs)[:2000],
                "name": f"{type(task).__module__}.{type(task).__name__}",  # huey registry key
            }
        return failure

    def _safely(self, call: Any) -> None:
        if self.breaker.open:
            return
        try:
            call()
        except SourceUnavailable as exc:
            self.breaker.failed()
            log.warning("stackwatch: cannot record job: %s", exc)
        else:
            self.breaker.succeeded()
