"""The logs screen's feed: which logs a host offers, and a reader for one of them.

Log sources name their supervisord, so a reader needs no host; listing them does (a host's
own supervisords and the settings' files).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from console.core.settings import Settings

if TYPE_CHECKING:
    from console.core.logs.sources import LogReader, LogSource


class LogsFeed(Protocol):
    def sources(self, host: str) -> tuple[list[LogSource], list[str]]:
        """The logs `host` offers, and one line per supervisord that could not be listed."""
        ...

    def open(self, source: LogSource) -> LogReader:
        """A reader on one source (raises LookupError when it names nothing known)."""
        ...

    def close(self) -> None: ...


class LiveLogs:
    """Program logs through supervisord (files read directly when this user can)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def sources(self, host: str) -> tuple[list[LogSource], list[str]]:
        from console.core.logs.sources import load_sources

        return load_sources(self.settings.for_host(host))

    def open(self, source: LogSource) -> LogReader:
        from console.core.logs.sources import open_reader

        return open_reader(source, self.settings)

    def close(self) -> None:
        """Readers belong to their panes, which close them."""
