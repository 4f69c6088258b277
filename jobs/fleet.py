"""The worker's part in the fleet: publish this host's process list and summary each
collection, and serve the requests consoles put in this host's list (console.core.fleet).

Both need Redis (the list every console reads); an embedded worker does neither.
"""

from __future__ import annotations

import logging
from typing import Any

from console.core import keys
from console.core.fleet.published import processes_payload
from console.core.fleet.summary import summary_payload
from console.core.settings import Settings
from console.core.supervisor.client import SupervisorClient
from console.core.supervisor.errors import SupervisorFault, SupervisorUnavailable
from console.core.supervisor.models import ProcessesSnapshot
from console.core.supervisor.poll import Poller, make_clients

log = logging.getLogger("stackwatch.worker")
_clients: dict[tuple, list[SupervisorClient]] = {}


def _local_clients(settings: Settings) -> list[SupervisorClient]:
    key = (settings.supervisors, settings.rpc_timeout, settings.read_only)
    if key not in _clients:
        _clients[key] = make_clients(settings)
    return _clients[key]


def redirected(clients: list[SupervisorClient]) -> frozenset[str]:
    """`endpoint/group:name` of the programs whose stderr goes to stdout (the logs screen
    offers them one stream); an endpoint that cannot say is left out."""
    found = set()
    for client in clients:
        try:
            config = client.config_info()
        except (SupervisorUnavailable, SupervisorFault):
            continue
        found.update(f"{client.name}/{k}" for k, v in config.items() if v.get("redirect_stderr"))
    return frozenset(found)


def publish(
    redis: Any,
    settings: Settings,
    now: float,
    processes: ProcessesSnapshot | None,
    health: Any = None,
    queues: Any = None,
    store: str = "ok",
    alerts: int | None = None,
) -> None:
    """The process list (when there is one) and the summary, in one round trip."""
    pipe = redis.pipeline(transaction=False)
    if processes is not None:
        redirects = redirected(_local_clients(settings))
        payload = processes_payload(
            processes, redirects, settings.read_only, settings.collect_interval
        )
        pipe.set(keys.fleet_processes(settings.host), payload)
    summary = summary_payload(
        settings.host, now, health, queues, processes, store, settings.read_only, alerts
    )
    pipe.hset(keys.FLEET_SUMMARY, settings.host, summary)
    pipe.execute()


def firing_alerts(cache: Any, host: str) -> int | None:
    """How many of this host's alerts fire (as its alert job last left them); None when the
    cache cannot say."""
    from console.core.alerts.kept import load_states
    from console.core.alerts.model import FIRING
    from console.core.errors import SourceUnavailable

    try:
        return sum(s.status == FIRING for s in load_states(cache, host).values())
    except SourceUnavailable:
        return None


def start_request_server(settings: Settings) -> Any:
    """The thread that serves this host's requests, on a Redis client of its own; None when
    there is no Redis."""
    if not settings.redis_url:
        return None
    import threading
    import time

    import redis

    from console.core.fleet.serve import RequestServer
    from console.core.redis_client import redis_client

    # its own client: a blocking read must not hold a connection the jobs need
    client = redis_client(settings.redis_url, max(settings.rpc_timeout, 5.0))
    clients = make_clients(settings)
    poller = Poller(make_clients(settings), settings.host)
    lock = threading.Lock()  # the poller keeps CPU samples between polls: one at a time

    def republish() -> None:
        """After an action, or while a console watches: the states now, not at the next
        collection."""
        try:
            with lock:
                snapshot = poller.poll()
            payload = processes_payload(
                snapshot, redirected(clients), settings.read_only, settings.collect_interval
            )
            client.set(keys.fleet_processes(settings.host), payload)
        except redis.RedisError as exc:  # the next collection publishes anyway; say why here
            log.warning("fleet: cannot republish the process list: %s", exc)

    server = RequestServer(settings, client, clients, clock=time.time, after_action=republish)
    server.start()
    return server
