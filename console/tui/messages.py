"""Messages posted by the app's poll workers. Small, frozen payloads; stale frames are dropped."""

from __future__ import annotations

from textual.message import Message

from console.core.feeds.dashboard import (
    CacheReading,
    ChartReading,
    HistoryReading,
    SupervisorReading,
)


class CacheRead(Message):
    """A cache poll finished (ok or not)."""

    def __init__(self, reading: CacheReading) -> None:
        super().__init__()
        self.reading = reading

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CacheRead)


class HistoryRead(Message):
    """A store poll for the sparklines finished."""

    def __init__(self, reading: HistoryReading) -> None:
        super().__init__()
        self.reading = reading

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, HistoryRead)


class ChartRead(Message):
    """The chart's series arrived."""

    def __init__(self, reading: ChartReading) -> None:
        super().__init__()
        self.reading = reading

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ChartRead)


class SupervisorChecked(Message):
    """One supervisord reachability check finished."""

    def __init__(self, reading: SupervisorReading) -> None:
        super().__init__()
        self.reading = reading

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SupervisorChecked) and message.reading.name == self.reading.name
