"""Hands acknowledged events to the cache from a thread, so supervisord never waits on it.

Events wait in a bounded in-memory buffer while the cache is down (the oldest are dropped past
the bound, and stderr says how many); exit statuses are looked up here too, in order.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from console.core.errors import SourceUnavailable
from console.core.events.exitlog import EXIT_STATES, ExitLine
from console.core.events.model import PROCESS, ProcessEvent

log = logging.getLogger("stackwatch.events")
MAX_BUFFERED = 10_000


def _worth_saying(count: int) -> bool:
    """Repeated troubles are logged the 1st, 10th, 100th and every 1000th time."""
    return count in (1, 10, 100) or count % 1000 == 0


class Handoff:
    """A writer thread: `put` never blocks; events reach `write` in order, each once."""

    def __init__(
        self,
        write: Callable[[ProcessEvent], object],
        exit_line: Callable[[str], ExitLine | None] | None = None,
        max_buffered: int = MAX_BUFFERED,
    ) -> None:
        self.write = write
        self.exit_line = exit_line
        self.max_buffered = max_buffered
        self.dropped = 0
        self.lookups_failed = 0
        self.written = 0
        self._pending: deque[ProcessEvent] = deque()
        self._cond = threading.Condition()
        self._closing = False
        self._down_since: float | None = None
        self._thread = threading.Thread(target=self._run, name="events-handoff", daemon=True)
        self._thread.start()

    def put(self, event: ProcessEvent) -> None:
        event = self._with_exit(event)
        with self._cond:
            if len(self._pending) >= self.max_buffered:
                self._pending.popleft()
                self.dropped += 1
                if _worth_saying(self.dropped):
                    log.error(
                        "events buffer full (%d): %d oldest dropped",
                        self.max_buffered,
                        self.dropped,
                    )
            self._pending.append(event)
            self._cond.notify()

    def _with_exit(self, event: ProcessEvent) -> ProcessEvent:
        """The exit status of an exit-type event, looked up before anything newer happens."""
        if self.exit_line is None or event.kind != PROCESS or event.to_state not in EXIT_STATES:
            return event
        if event.to_state == "STOPPED" and event.from_state != "STOPPING":
            return event
        try:
            line = self.exit_line(event.program.split(":", 1)[-1])
        except SourceUnavailable as exc:
            self.lookups_failed += 1
            if _worth_saying(self.lookups_failed):  # an unreachable socket: not a line per exit
                log.warning(
                    "exit status of %s unknown (%d so far): %s",
                    event.program,
                    self.lookups_failed,
                    exc,
                )
            return event
        if line is None:
            return event
        return dataclasses.replace(event, exitstatus=line.exitstatus, detail=line.detail)

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self._pending)

    def _run(self) -> None:
        delay = 0.2
        while True:
            with self._cond:
                while not self._pending and not self._closing:
                    self._cond.wait()
                if not self._pending:
                    return
                event = self._pending[0]
            try:
                self.write(event)
            except SourceUnavailable as exc:
                self._note_down(exc)
                time.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            delay = 0.2
            self._note_up()
            with self._cond:
                self._pending.popleft()
                self.written += 1
                self._cond.notify_all()

    def _note_down(self, exc: SourceUnavailable) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.error(
                "cache unavailable, events wait in memory (up to %d): %s", self.max_buffered, exc
            )

    def _note_up(self) -> None:
        if self._down_since is not None:
            log.warning(
                "cache is back after %.0f s: writing %d buffered events",
                time.monotonic() - self._down_since,
                self.pending,
            )
            self._down_since = None

    def close(self, timeout: float = 3.0) -> int:
        """Wait up to `timeout` for pending events to be written; the number left unwritten."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            while self._pending and time.monotonic() < deadline:
                self._cond.wait(max(0.0, deadline - time.monotonic()))
            return len(self._pending)
