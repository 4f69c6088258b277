"""A host with no supervisord URL configured in this console: its programs as its worker
published them, and actions sent to that worker (console.core.fleet). The screens do not know
the difference: the same ProcessesView in, the same ActionResults out."""

from __future__ import annotations

import dataclasses
from typing import Any

from console.core import formatting, keys
from console.core.errors import SourceUnavailable
from console.core.events.presence import listener_state
from console.core.fleet.client import FleetClient
from console.core.fleet.published import Published, parse_published
from console.core.fleet.wire import Reply
from console.core.parse import Invalid
from console.core.sanitize import clean
from console.core.supervisor.models import (
    ActionResult,
    ConfigDiff,
    EndpointStatus,
    ProcessesSnapshot,
)
from console.core.supervisor.targets import command

WORKER = "worker"  # the endpoint name shown when the worker published nothing usable
STALE_AFTER = 2  # collection intervals: a list older than this is shown as last known
WATCH_TTL_S = 10  # a console that stops polling stops the worker's extra publishing soon


def read_published(redis: Any, host: str) -> Published | Invalid | None:
    """The host's published process list (raises SourceUnavailable for a Redis outage)."""
    import redis as redis_lib

    try:
        raw = redis.get(keys.fleet_processes(host))
    except (redis_lib.ConnectionError, redis_lib.TimeoutError) as exc:
        raise SourceUnavailable(f"Redis: {clean(str(exc), 200)}") from None
    return parse_published(raw, host)


def remote_snapshot(redis: Any, host: str, now: float) -> tuple[ProcessesSnapshot, dict]:
    """A snapshot of `host` from its worker's list, and its listeners' states; a missing,
    unreadable or invalid list is one endpoint status saying so."""
    shown = clean(host, 255)
    try:
        published = read_published(redis, host)
    except SourceUnavailable as exc:
        return _down(host, now, "down", str(exc)), {}
    if published is None:
        why = f"no supervisord URL is configured for {shown} and its worker published no list"
        return _down(host, now, "missing", why), {}
    if isinstance(published, Invalid):
        down = _down(host, now, "invalid", published.reason)
        return dataclasses.replace(down, invalid=(published,)), {}
    snapshot = published.snapshot
    listeners = {e.name: listener_state(snapshot.processes, e.name) for e in snapshot.endpoints}
    age = now - snapshot.ts
    if age > STALE_AFTER * published.interval + 5:  # the worker stopped publishing
        why = f"the worker on {shown} last published {formatting.ago(age)}"
        stale = tuple(dataclasses.replace(e, kind="stale", message=why) for e in snapshot.endpoints)
        snapshot = dataclasses.replace(snapshot, endpoints=stale)
    return snapshot, listeners


def watch(redis: Any, host: str) -> None:
    """Ask the host's worker for its list every couple of seconds while this screen polls
    (a Redis user without write access simply gets the list of each collection)."""
    import redis as redis_lib

    try:
        redis.set(keys.fleet_watch(host), "1", ex=WATCH_TTL_S)
    except redis_lib.RedisError:
        pass  # no permission, or Redis down: the read right after says so


def _down(host: str, now: float, kind: str, message: str) -> ProcessesSnapshot:
    status = EndpointStatus(
        WORKER, f"via the worker on {clean(host, 255)}", kind, message, via_worker=True
    )
    return ProcessesSnapshot(host, now, (), (status,))


class RemoteActions:
    """Actions on a host's programs through its worker."""

    def __init__(self, client: FleetClient) -> None:
        self.client = client

    def act(
        self, host: str, action: str, endpoints: list[str], target: str, signal: str = ""
    ) -> list[ActionResult]:
        results = []
        for endpoint in endpoints:
            request = self.client.request(
                host, "act", endpoint=endpoint, action=action, target=target, signal=signal
            )
            reply = self._send(request)
            results.append(_result(reply, host, endpoint, action, target, signal))
        return results

    def reread(self, host: str, endpoint: str) -> ConfigDiff | ActionResult:
        reply = self._send(self.client.request(host, "reread", endpoint=endpoint))
        if reply.ok and reply.diff is not None:
            return reply.diff
        return _result(reply, host, endpoint, "reread", "")

    def update(self, host: str, endpoint: str, diff: ConfigDiff) -> ActionResult:
        reply = self._send(self.client.request(host, "update", endpoint=endpoint, diff=diff))
        return _result(reply, host, endpoint, "update", "all")

    def _send(self, request: Any) -> Reply:
        try:
            return self.client.send(request)
        except SourceUnavailable as exc:
            return Reply("error", f"cannot reach the fleet's Redis: {exc}")


def _result(
    reply: Reply, host: str, endpoint: str, action: str, target: str, signal: str = ""
) -> ActionResult:
    """The worker's ActionResult, its endpoint named with the host (audit, action log); or the
    reason there is none (refused, timed out)."""
    where = f"{host}/{endpoint}"
    if reply.result is not None:
        result = dataclasses.replace(reply.result, endpoint=where)
        return (
            result if reply.ok else dataclasses.replace(result, error=reply.error or result.error)
        )
    words = command(action, target, signal) + f"  # via the worker on {clean(host, 255)}"
    error = reply.error or f"the worker answered {reply.status} with no result"
    return ActionResult(action, where, target, words, error=error)


def with_events(snapshot: ProcessesSnapshot, events: list) -> ProcessesSnapshot:
    """The published list, with each program's state as the event listener reported it since
    (where it runs): a state change shows within a second, not at the next collection."""
    from console.core.events.model import PROCESS
    from console.core.supervisor.models import ProcessState

    latest: dict[tuple[str, str], Any] = {}
    for event in events:
        if event.kind == PROCESS and event.ts > snapshot.ts:
            key = (event.endpoint, event.program)
            if key not in latest or event.ts >= latest[key].ts:
                latest[key] = event
    if not latest:
        return snapshot
    processes = []
    for p in snapshot.processes:
        event = latest.get((p.endpoint, p.full_name))
        if event is not None and event.to_state in ProcessState.__members__:
            running = event.to_state in ("RUNNING", "STARTING", "STOPPING", "BACKOFF")
            pid = (event.pid or p.pid) if running else 0
            fresh = event.to_state in ("STARTING", "RUNNING") and event.pid != p.pid
            start = int(event.ts) if fresh else p.start
            p = dataclasses.replace(
                p,
                statename=event.to_state,
                state=int(ProcessState[event.to_state]),
                pid=pid,
                start=start,
                now=max(p.now, int(event.ts)),
            )
        processes.append(p)
    return dataclasses.replace(snapshot, processes=tuple(processes))
