"""The logs screen's feed: which logs a host offers, and a reader for one of them.

Log sources name their supervisord, so a reader needs no host; listing them does (a host's
own supervisords and the settings' files).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

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
    """Program logs through supervisord (files read directly when this user can); another
    host's through its worker, over the shared Redis client."""

    def __init__(self, settings: Settings, connections: Any = None) -> None:
        self.settings = settings
        self.connections = connections
        self._fleet: Any = None

    def sources(self, host: str) -> tuple[list[LogSource], list[str]]:
        from console.core.logs.sources import load_sources

        return load_sources(self.settings.for_host(host))

    def open(self, source: LogSource) -> LogReader:
        from console.core.logs.sources import open_reader

        return open_reader(source, self.settings, self._fleet_client(source))

    def _fleet_client(self, source: LogSource) -> Any:
        remote = source.host is not None or any(p.host for p in source.parts)
        if not remote or self.connections is None or self.connections.redis() is None:
            return None
        if self._fleet is None:
            from console.core.fleet.logs import fleet_client

            self._fleet = fleet_client(self.settings, self.connections.redis())
        return self._fleet

    def close(self) -> None:
        """Readers belong to their panes, which close them."""
