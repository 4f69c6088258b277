"""The worker's request server on a real Redis: what it refuses to run, and why."""

from __future__ import annotations

import redis

from console.core import keys
from console.core.fleet.client import FleetClient
from console.core.fleet.serve import RequestServer
from console.core.fleet.wire import Request, parse_reply
from console.core.settings import Settings

NOW = 1_000_000.0


def server(redis_url: str, read_only: bool = False) -> tuple[RequestServer, redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    settings = Settings(host="web1", redis_url=redis_url, read_only=read_only)
    return RequestServer(settings, client, [], clock=lambda: NOW), client


def request(**fields) -> Request:
    base = dict(id="abc123", host="web1", kind="act", deadline=NOW + 10, endpoint="main")
    return Request(**(base | {"action": "restart", "target": "app:app"} | fields))


def test_an_expired_request_is_dropped_without_a_claim(redis_url: str) -> None:
    srv, client = server(redis_url)
    assert srv.handle(request(deadline=NOW - 1).to_json().encode()) == "expired"
    assert client.get(keys.fleet_claim("abc123")) is None
    assert client.llen(keys.fleet_reply("abc123")) == 0


def test_a_request_its_console_gave_up_is_not_run(redis_url: str) -> None:
    srv, client = server(redis_url)
    client.set(keys.fleet_claim("abc123"), "console")
    assert srv.handle(request().to_json().encode()) == "given up"
    assert client.llen(keys.fleet_reply("abc123")) == 0


def test_a_read_only_worker_refuses_and_says_so(redis_url: str) -> None:
    srv, client = server(redis_url, read_only=True)
    srv.handle(request().to_json().encode())
    reply = parse_reply(client.lpop(keys.fleet_reply("abc123")))
    assert reply.status == "refused" and "read-only" in reply.error


def test_foreign_bytes_are_dropped_not_raised(redis_url: str) -> None:
    srv, _ = server(redis_url)
    for raw in (b"\xff\xfe", b"[]", b'{"kind": "exec", "id": "x"}', b'{"kind":"log","id":"a"}'):
        assert srv.handle(raw) == "dropped: not a request"


def test_the_console_claims_a_request_nobody_took(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    clock = iter([NOW, NOW + 0.5, NOW + 2, NOW + 2]).__next__
    fleet = FleetClient(client, "console", "ops", timeout=1.0, clock=clock)
    sent = fleet.request("web9", "act", endpoint="main", action="stop", target="app:app")
    reply = fleet.send(sent)
    assert reply.status == "timeout" and "will not be" in reply.error
    assert client.get(keys.fleet_claim(sent.id)) == b"console"
    assert client.llen(keys.fleet_requests("web9")) == 0  # taken back from the list


def test_a_failure_inside_the_worker_is_answered_not_hidden(redis_url: str) -> None:
    srv, client = server(redis_url)

    def broken(request: Request) -> str:
        raise KeyError("boom")

    srv.decide = broken  # type: ignore[method-assign]
    srv._guarded(request())
    reply = parse_reply(client.lpop(keys.fleet_reply("abc123")))
    assert reply.status == "error" and "KeyError" in reply.error


def test_an_unreachable_redis_is_one_clear_error_per_action() -> None:
    from console.core.feeds.processes_remote import RemoteActions
    from console.core.redis_client import redis_client

    dead = redis_client("redis://127.0.0.1:1/0", timeout=0.5)
    fleet = FleetClient(dead, "console", "ops", timeout=1.0)
    results = RemoteActions(fleet).act("web1", "restart", ["main"], "app:app")
    assert len(results) == 1 and not results[0].ok
    assert results[0].endpoint == "web1/main"
    assert results[0].error.startswith("cannot reach the fleet's Redis: Redis:")


def test_a_log_read_is_never_more_than_one_piece() -> None:
    from console.core.fleet.serve import bounded
    from console.core.fleet.wire import MAX_PIECE

    def read(method: str, offset: int, length: int) -> tuple[int, int]:
        return bounded(request(kind="log", method=method, offset=offset, length=length))

    assert read("supervisor.readProcessStdoutLog", 10, 0) == (10, MAX_PIECE)  # not "to the end"
    assert read("supervisor.readLog", -(10 * MAX_PIECE), 0) == (-MAX_PIECE, 0)
    assert read("supervisor.readLog", 5, 100) == (5, 100)
    assert read("supervisor.tailProcessStderrLog", 7, 0) == (7, 0)
