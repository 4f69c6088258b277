"""Is supervisord's event listener installed and running? (from a process list we already have)

The listener is found by its section name, `[eventlistener:stackwatch-events]`, as shipped in
supervisor/conf.d/stackwatch-events.conf. Where it runs, events are exact; elsewhere the
collection records what its polls see, and the console says so.
"""

from __future__ import annotations

from collections.abc import Iterable

from console.core.supervisor.models import ProcessInfo

LISTENER = "stackwatch-events"
INSTALL_FIX = (
    "copy supervisor/conf.d/stackwatch-events.conf into supervisord's conf.d, "
    "then supervisorctl reread && supervisorctl update"
)


def listener_state(processes: Iterable[ProcessInfo], endpoint: str) -> str | None:
    """The listener's state on `endpoint` (RUNNING, FATAL…), None when it is not installed."""
    states = [p.statename for p in processes if p.endpoint == endpoint and p.group == LISTENER]
    if not states:
        return None
    return "RUNNING" if "RUNNING" in states else states[0]


def listening_endpoints(processes: Iterable[ProcessInfo]) -> frozenset[str]:
    """Endpoints whose listener runs: their events are exact."""
    return frozenset(
        p.endpoint for p in processes if p.group == LISTENER and p.statename == "RUNNING"
    )
