"""Logs of a host with no supervisord URL here: its programs from its worker's published
list, and the bounded reads (tail, read, main log) the log readers make, each sent to that
worker as a request. `RemoteCalls.call` has the shape of `SupervisorClient.call`, so the one
RPC tail reader (rotation, truncation, overflow) serves remote logs unchanged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.core.errors import SourceUnavailable
from console.core.fleet.client import FleetClient
from console.core.fleet.published import Published
from console.core.fleet.wire import LOG_METHODS, MAX_PIECE
from console.core.sanitize import clean
from console.core.settings import Settings

if TYPE_CHECKING:
    from console.core.logs.sources import LogSource


class RemoteCalls:
    """supervisord's log calls on one endpoint of `host`, made by that host's worker."""

    def __init__(self, client: FleetClient, host: str, endpoint: str) -> None:
        self.client = client
        self.host = host
        self.endpoint = endpoint

    def call(self, method: str, *params: Any) -> Any:
        """Raises SourceUnavailable (a StackwatchError the readers show) when the worker
        refuses, fails or does not answer in time."""
        if method not in LOG_METHODS:
            raise ValueError(f"{method} is not a log read")
        if method == "supervisor.readLog":
            name, (offset, length) = "", params
        else:
            name, offset, length = params
        piece = min(int(length), MAX_PIECE) if int(length) > 0 else 0
        fields = dict(endpoint=self.endpoint, method=method, name=name, offset=int(offset))
        reply = self.client.send(self.client.request(self.host, "log", length=piece, **fields))
        if not reply.ok:
            raise SourceUnavailable(f"{clean(self.host, 255)}: {reply.error}")
        if method.startswith("supervisor.tail"):
            return [reply.data, reply.offset, reply.overflow]
        return reply.data

    def close(self) -> None:
        """Nothing to close: the Redis client is shared."""


def fleet_client(settings: Settings, redis: Any = None) -> FleetClient:
    """A client on `redis` (or a new one on the settings' Redis) for log reads."""
    from console.core.redis_client import redis_client
    from console.core.store.audit import who

    redis = redis if redis is not None else redis_client(settings.redis_url or "", 5.0)
    return FleetClient(redis, settings.host, who(), settings.fleet_timeout)


def remote_sources(published: Published | None, host: str) -> list[LogSource]:
    """One source per program of the published list, marked with its host."""
    from dataclasses import replace

    from console.core.logs.sources import LogSource, ProgramLog, program_source
    from console.core.logs.supervisor_rpc import short_name

    if published is None:
        return []
    snapshot = published.snapshot
    qualify = len(snapshot.endpoints) > 1
    sources: list[LogSource] = []
    for p in snapshot.processes:
        program = ProgramLog(
            p.endpoint,
            short_name(p.group, p.name),
            p.stdout_logfile,
            p.stderr_logfile,
            p.statename,
            f"{p.endpoint}/{p.full_name}" in published.redirected,
        )
        sources.append(replace(program_source(program, qualify=qualify), host=host))
    mains = [
        LogSource("main", f"{e.name}/supervisord" if qualify else "supervisord", endpoint=e.name)
        for e in snapshot.endpoints
    ]
    return sources + [replace(m, host=host) for m in mains]


class RemoteLog:
    """Another host's program log: the RPC tail reader for start/poll (through the worker),
    and a whole-file filter the worker scans (`filtered`, as a local file's follower has)."""

    def __init__(self, tail: Any, client: FleetClient, host: str, source: LogSource) -> None:
        self._tail = tail
        self.client = client
        self.host = host
        self.source = source

    @property
    def generation(self) -> int:
        return self._tail.generation

    def start(self, n: int) -> Any:
        return self._tail.start(n)

    def poll(self) -> Any:
        return self._tail.poll()

    def filtered(
        self, query: Any, n: int, cancelled: Any = lambda: False, end: int | None = None
    ) -> Any:
        """Pages of the last n lines the query keeps in the whole file, newest first."""
        from console.core.fleet.search import search_pages

        stream = "stderr" if self.source.stream == "stderr" else "stdout"
        if stream == "stderr" and self.source.stderr_redirected:
            stream = "stdout"

        def send(**fields: Any) -> Any:
            from console.core.errors import SourceUnavailable

            request = self.client.request(
                self.host,
                "search",
                endpoint=self.source.endpoint or "",
                name=self.source.program or "",
                stream=stream,
                **fields,
            )
            try:
                return self.client.send(request)
            except SourceUnavailable as exc:  # the readers report an OSError as a read error
                raise OSError(0, str(exc)) from None

        return search_pages(send, query, n, cancelled)

    def close(self) -> None:
        close = getattr(self._tail, "close", None)
        if close is not None:
            close()


def published_sources(settings: Settings) -> tuple[list[LogSource], list[str]]:
    """No supervisord URL for this host: its programs as its worker published them."""
    from console.core.errors import SourceUnavailable
    from console.core.feeds.processes_remote import read_published
    from console.core.logs.sources import file_sources, unique_sources
    from console.core.parse import Invalid
    from console.core.redis_client import redis_client

    client = redis_client(settings.redis_url or "", settings.rpc_timeout)
    try:
        published = read_published(client, settings.host)
    except SourceUnavailable as exc:
        return file_sources(settings), [f"{settings.host}: {exc}"]
    finally:
        client.close()
    if isinstance(published, Invalid):
        return file_sources(settings), [f"{settings.host}: {published.reason}"]
    if published is None:
        why = "no supervisord URL configured and its worker published no process list"
        return file_sources(settings), [f"{settings.host}: {why}"]
    return unique_sources(remote_sources(published, settings.host) + file_sources(settings)), []


def remote_program(source: LogSource, fleet: FleetClient) -> RemoteLog:
    """A reader on another host's program log: tails through its worker, and its filter."""
    from console.core.logs.rpc_tail import RpcTail
    from console.core.logs.supervisor_rpc import read_call, tail_call

    client: Any = RemoteCalls(fleet, source.host or "", source.endpoint or "")
    stream = "stderr" if source.stream == "stderr" and not source.stderr_redirected else "stdout"
    tail = RpcTail(source.program or "", tail_call(client, stream), read_call(client, stream))
    return RemoteLog(tail, fleet, source.host or "", source)
