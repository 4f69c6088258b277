"""Follows the event stream from the console: new events as they arrive, cheaply.

Each `refresh` reads only the entries after the last one seen (one XRANGE on Redis), so the
console can ask several times a second and show a state change within a second of it.
"""

from __future__ import annotations

import threading
from collections import deque

from console.core import keys
from console.core.cache import Cache
from console.core.events.model import ProcessEvent, from_item
from console.core.events.timeline import TAIL, stream_tail


class EventFollower:
    """Keeps the newest TAIL events of one host; thread-safe."""

    def __init__(self, cache: Cache, host: str) -> None:
        self.cache = cache
        self.name = keys.process_events(host)
        self.host = host
        self._last: str | None = None
        self._recent: deque[ProcessEvent] = deque(maxlen=TAIL)
        self._lock = threading.Lock()

    def refresh(self) -> list[ProcessEvent]:
        """Events new since the last call (all kept ones on the first); raises
        SourceUnavailable when the cache is down."""
        with self._lock:
            if self._last is None:
                new = stream_tail(self.cache, self.host)
                self._last = new[-1].stream_id if new else "0-0"
            else:
                entries = self.cache.stream_after(self.name, self._last, TAIL)
                if entries:
                    self._last = entries[-1].id
                new = [e for x in entries if (e := from_item(x.item, x.id)) is not None]
            self._recent.extend(new)
            return new

    def recent(self) -> list[ProcessEvent]:
        with self._lock:
            return list(self._recent)
