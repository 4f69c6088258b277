"""`stackwatch events listen`: the supervisord event listener.

It answers each event at once (RESULT 2 OK) and hands it to the cache stream from a thread, so
neither a slow cache nor a slow database makes supervisord wait or drop events. stdout carries
the protocol only; everything said goes to stderr (supervisord's log of the listener).
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from typing import BinaryIO

from console.core import keys
from console.core.cache import Cache
from console.core.errors import SourceUnavailable
from console.core.events.exitlog import ExitStatuses, last_start, local_stamp
from console.core.events.handoff import Handoff
from console.core.events.model import ProcessEvent, from_supervisor
from console.core.events.protocol import Channel, ProtocolError
from console.core.settings import Settings, SupervisorEndpoint
from console.core.supervisor.client import SupervisorClient
from console.core.supervisor.errors import SupervisorFault, SupervisorUnavailable

log = logging.getLogger("stackwatch.events")
FRESH_START_S = 120  # supervisord started this recently: its exits so far are ours to match


def listener_endpoint(settings: Settings, env: dict[str, str] | None = None) -> SupervisorEndpoint:
    """The supervisord we listen to: the configured one at supervisord's own URL, else the
    first configured, else the URL supervisord gives its children."""
    env = dict(os.environ) if env is None else env
    url = env.get("SUPERVISOR_SERVER_URL", "")
    for endpoint in settings.supervisors:
        if endpoint.url == url:
            return endpoint
    if settings.supervisors:
        return settings.supervisors[0]
    if url:
        return SupervisorEndpoint("default", url)
    raise SourceUnavailable("no supervisord configured and SUPERVISOR_SERVER_URL is not set")


def exit_statuses(client: SupervisorClient, now: float) -> ExitStatuses:
    """Exit lines read through readLog, from supervisord's start if it has just started."""

    def read_tail(size: int) -> str:
        try:
            return str(client.call("supervisor.readLog", -size, 0))
        except (SupervisorFault, SupervisorUnavailable) as exc:
            raise SourceUnavailable(f"supervisord's log: {exc}") from None

    cursor = local_stamp(now - 2)
    try:
        started = last_start(read_tail(65_536))
    except SourceUnavailable as exc:
        log.warning("exit statuses unavailable: %s", exc)
        started = None
    if started and started >= local_stamp(now - FRESH_START_S):
        cursor = started
    return ExitStatuses(read_tail, cursor)


def stream_writer(cache: Cache, host: str) -> Callable[[ProcessEvent], str]:
    name = keys.process_events(host)
    return lambda event: cache.stream_add(name, event.to_item(), keys.EVENTS_MAXLEN)


def serve(
    channel: Channel,
    handoff: Handoff,
    endpoint: str,
    clock: Callable[[], float] = time.time,
) -> int:
    """The protocol loop until supervisord closes stdin; each event is acknowledged first."""
    run = os.getppid()  # supervisord: its pool numbers our events from 0 in each of its runs
    while True:
        try:
            channel.ready()
            envelope = channel.receive()
            if envelope is None:
                return 0
            channel.ok()
        except ProtocolError as exc:
            log.error("%s", exc)
            return 2
        except (BrokenPipeError, ConnectionResetError):
            log.warning("supervisord closed the listener's pipes: stopping")
            return 0
        event = from_supervisor(
            envelope.eventname, envelope.payload, endpoint, clock(), envelope.poolserial, run
        )
        if event is not None:
            handoff.put(event)


def run_listener(settings: Settings, cache: Cache, stdin: BinaryIO, stdout: BinaryIO) -> int:
    endpoint = listener_endpoint(settings)
    client = SupervisorClient(endpoint, timeout=settings.rpc_timeout, read_only=True)
    handoff = Handoff(
        stream_writer(cache, settings.host), exit_statuses(client, time.time()).lookup
    )
    signal.signal(signal.SIGTERM, _stop)
    log.info("listening to supervisord %s for host %s", endpoint.name, settings.host)
    try:
        return serve(Channel(stdin, stdout), handoff, endpoint.name)
    except KeyboardInterrupt:
        return 0
    finally:
        left = handoff.close()
        if left:
            log.error("stopping with %d events not written to the cache", left)
        client.close()


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
