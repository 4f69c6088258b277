"""Rate-limited logging: the same error repeated during an outage is logged once a minute."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable


class RepeatFilter(logging.Filter):
    """Drops a record identical (logger, message, exception type) to one logged < `every` s ago;
    the next one that passes says how many were dropped."""

    def __init__(self, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.every = every
        self.clock = clock
        self._seen: dict[tuple, list[float | int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        exc = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        key = (record.name, str(record.msg), exc)
        now = self.clock()
        with self._lock:
            if len(self._seen) > 1000:  # a bound: distinct messages cannot grow it forever
                self._seen.clear()
            last = self._seen.get(key)
            if last is not None and now - float(last[0]) < self.every:
                last[1] = int(last[1]) + 1
                return False
            dropped = int(last[1]) if last else 0
            self._seen[key] = [now, 0]
        if dropped:
            record.msg = f"{record.msg} (repeated {dropped} more times)"
        return True


class Breaker:
    """After a failure, skip calls for `pause` s: a dead backend then costs the caller nothing."""

    def __init__(self, pause: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.pause = pause
        self.clock = clock
        self._until = 0.0

    @property
    def open(self) -> bool:
        return self.clock() < self._until

    def failed(self) -> None:
        self._until = self.clock() + self.pause

    def succeeded(self) -> None:
        self._until = 0.0
