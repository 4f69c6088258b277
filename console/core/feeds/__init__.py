"""Feeds: each screen's data as a small typed interface taking `(host, as_of)`.

`build_feeds(settings)` builds the real ones, once, over one set of shared connections (one
Redis client, one engine per store URL, one supervisord client per endpoint); the app takes
them (`make_app(settings, feeds)`), and tests hand in their own through the same seam:
`dataclasses.replace(build_feeds(settings), dashboard=Fixed())`.

Nothing here opens a connection or imports SQLAlchemy/xmlrpc: feeds connect on first read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.core.feeds.connections import Connections
from console.core.settings import Settings

if TYPE_CHECKING:  # the views import their readers' types; the app must stay light
    from console.core.feeds.alerts import AlertsFeed
    from console.core.feeds.dashboard import DashboardFeed
    from console.core.feeds.fleet import FleetFeed
    from console.core.feeds.logs import LogsFeed
    from console.core.feeds.processes import ProcessesFeed
    from console.core.feeds.queues import QueuesFeed


@dataclass(frozen=True)
class Feeds:
    """Every screen's feed, and the connections they share (None for fixed test feeds)."""

    dashboard: DashboardFeed
    processes: ProcessesFeed
    queues: QueuesFeed
    logs: LogsFeed
    connections: Connections | None = None
    fleet: FleetFeed | None = None  # every host reporting to this Redis (None: tests' fixed)
    alerts: AlertsFeed | None = None  # the worker's alerts (None: tests' fixed feeds)

    def close(self) -> None:
        """Release the shared connections (the app calls this when it exits)."""
        feeds = (self.dashboard, self.processes, self.queues, self.logs, self.fleet, self.alerts)
        for feed in feeds:
            if feed is not None:
                feed.close()
        if self.connections is not None:
            self.connections.close()


def build_feeds(settings: Settings, clock: Callable[[], float] = time.time) -> Feeds:
    """The real feeds for `settings`, sharing one set of lazily opened connections."""
    from console.core.feeds.lazy import Lazy

    connections = Connections(settings)
    return Feeds(
        # every feed loads on its first read: `stackwatch queues` never pays for the dashboard
        dashboard=Lazy("console.core.feeds.dashboard_live", "LiveDashboard", connections, clock),
        # xmlrpc and psutil load when the Processes screen first reads, not at start-up
        processes=Lazy("console.core.feeds.processes_live", "LiveProcesses", connections),
        queues=Lazy("console.core.feeds.queues_live", "LiveQueues", connections, clock),
        logs=Lazy("console.core.feeds.logs", "LiveLogs", settings, connections),
        connections=connections,
        fleet=Lazy("console.core.feeds.fleet", "LiveFleet", connections, clock),
        alerts=Lazy("console.core.feeds.alerts", "LiveAlerts", connections, clock),
    )


__all__ = ["Connections", "Feeds", "build_feeds"]
