"""The worker's gate to the database: a deadline on every call, the store's state, and one log
line per outage.

A hung database (a stopped server, a silent network) answers nothing, and no server-side
timeout fires; a job thread waiting on it would stop the collection, the heartbeat and the
latest values. So each call runs on a thread of its own and the job waits at most `deadline`
seconds. While a call is stuck, further calls fail at once (one probe per deadline), so a hung
database costs the jobs nothing. Every count the jobs store is idempotent, so a call given up
on that completes later does no harm.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TypeVar

from console.core.errors import SourceUnavailable
from console.core.sanitize import first_line

T = TypeVar("T")
OK, DOWN, HUNG = "ok", "down", "hung"
log = logging.getLogger("stackwatch.worker")


@dataclass(frozen=True)
class StoreState:
    """The database as the worker sees it: ok, down (with why) or hung, since when."""

    status: str = OK
    since: float | None = None
    reason: str = ""

    def payload(self) -> dict:
        return asdict(self)


def short_reason(message: str) -> str:
    """'database …: connection failed: … port 5432 failed: Connection refused' ->
    'connection refused': the last clause of the first line, which says what happened."""
    line = first_line(message, 300)
    tail = line.rsplit(": ", 1)[-1].strip() or line
    return tail[:1].lower() + tail[1:120]


class StoreGate:
    """Runs the worker's database calls under a deadline and tracks the store's state."""

    def __init__(self, deadline: float, clock: Callable[[], float] = time.time) -> None:
        self.deadline = deadline
        self.clock = clock
        self._lock = threading.Lock()
        self._state = StoreState()
        self._stuck: list[threading.Thread] = []
        self._probe_at = 0.0
        self._back_after: float | None = None  # an outage ended; said once rows caught up

    @property
    def state(self) -> StoreState:
        return self._state

    def run(self, call: Callable[[], T], deadline: float | None = None) -> T:
        """call() on its own thread; its result, or SourceUnavailable if down or hung (no
        answer within `deadline`, the gate's own by default: long jobs pass a longer one)."""
        deadline = self.deadline if deadline is None else deadline
        self._refuse_while_stuck()
        box: dict = {}
        done = threading.Event()

        def target() -> None:
            try:
                box["value"] = call()
            except BaseException as exc:  # handed to the waiting job below
                box["error"] = exc
            finally:
                done.set()

        thread = threading.Thread(target=target, name="stackwatch-store", daemon=True)
        thread.start()
        if not done.wait(deadline):
            with self._lock:
                self._stuck.append(thread)
            # hung since the call began, not since we stopped waiting for it
            self._failed(HUNG, f"no answer in {deadline:g} s", self.clock() - deadline)
            raise SourceUnavailable(f"database hung: no answer in {deadline:g} s")
        error = box.get("error")
        if isinstance(error, SourceUnavailable):
            self._failed(DOWN, short_reason(str(error)))
            raise error
        self._answered()  # any other answer, even an error, means the database is there
        if error is not None:
            raise error
        return box["value"]

    def _refuse_while_stuck(self) -> None:
        with self._lock:
            self._stuck = [t for t in self._stuck if t.is_alive()]
            now = self.clock()
            if not self._stuck or now - self._probe_at >= self.deadline:
                self._probe_at = now
                return
        raise SourceUnavailable(f"database hung: a call has had no answer for {self.deadline:g} s")

    def _failed(self, status: str, reason: str, began: float | None = None) -> None:
        with self._lock:
            before = self._state
            if before.status == status and before.reason == reason:
                return
            since = before.since if before.status != OK else (began or self.clock())
            self._state = StoreState(status, since, reason)
        if before.status == OK:  # one line per outage, however many calls fail in it
            at = datetime.fromtimestamp(since).strftime("%H:%M:%S")
            word = "hung" if status == HUNG else "down"
            # formatted here: each outage is its own message for the repeat filter
            log.warning(f"store: database {word} since {at} ({reason}); rows will catch up")

    def _answered(self) -> None:
        with self._lock:
            before = self._state
            if before.status == OK:
                return
            self._state = StoreState()
            self._back_after = self.clock() - (before.since or self.clock())

    def caught_up(self, windows: int) -> None:
        """After a successful store: the outage's closing line, with what it stored."""
        with self._lock:
            back_after, self._back_after = self._back_after, None
        if back_after is not None:
            log.info("store: database back after %.0f s; %d windows stored", back_after, windows)


def deadline_for(collect_interval: float) -> float:
    """How long a job waits for the database: half a collection interval, within 5-30 s
    (above the engine's connect and pool timeouts, so a slow answer is not called hung)."""
    return max(5.0, min(30.0, collect_interval / 2))
