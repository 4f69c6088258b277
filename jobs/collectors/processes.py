"""Collector: every program of every configured supervisord, with CPU and memory."""

from __future__ import annotations

from console.core.settings import Settings
from console.core.supervisor.models import ProcessesSnapshot
from console.core.supervisor.poll import Poller, make_clients

# Kept between calls so CPU % is measured since the previous collection (psutil priming).
_pollers: dict[tuple, Poller] = {}


def collect_processes(settings: Settings, now: float | None = None) -> ProcessesSnapshot:
    """Never raises for an endpoint: each endpoint's failure is in `snapshot.endpoints`."""
    key = (settings.host, settings.supervisors, settings.rpc_timeout)
    poller = _pollers.get(key)
    if poller is None:
        poller = _pollers[key] = Poller(make_clients(settings), settings.host)
    return poller.poll(now)
