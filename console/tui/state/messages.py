"""Messages posted by the app's poll workers: small dataclasses; stale frames are dropped."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from console.core.feeds.dashboard import (
    CacheReading,
    ChartReading,
    HistoryReading,
    SupervisorReading,
)


@dataclass
class CacheRead(Message):
    """A cache poll finished (ok or not)."""

    reading: CacheReading

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CacheRead)


@dataclass
class HistoryRead(Message):
    """A store poll for the sparklines finished."""

    reading: HistoryReading

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, HistoryRead)


@dataclass
class PastRead(Message):
    """The dashboard's stored values at the time cursor arrived."""

    cache: CacheReading
    history: HistoryReading

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PastRead)


@dataclass
class ChartRead(Message):
    """The chart's series arrived."""

    reading: ChartReading

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ChartRead)


@dataclass
class SupervisorChecked(Message):
    """One supervisord reachability check finished."""

    reading: SupervisorReading

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SupervisorChecked) and message.reading.name == self.reading.name
