"""The README's Redis ACL users, applied as written to a real Redis: the read-only console
reads the fleet and can send nothing; the operator sends fleet requests and gets replies,
but cannot write to huey's queue (where pickles would run as code on a worker)."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import pytest
import redis

from console.core import keys
from console.core.feeds.fleet import read_fleet
from console.core.fleet.client import FleetClient
from console.core.fleet.serve import RequestServer
from console.core.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def acl_lines() -> list[list[str]]:
    lines = [line for line in README.read_text().splitlines() if line.startswith("ACL SETUSER")]
    assert len(lines) == 3, lines
    return [shlex.split(line) for line in lines]


@pytest.fixture
def users(redis_url: str):
    admin = redis.Redis.from_url(redis_url)
    names = []
    for words in acl_lines():
        names.append(words[2])
        admin.execute_command(*[w.replace("CHANGE-ME", "pw-" + words[2]) for w in words])
    yield {name: f"redis://{name}:pw-{name}@{redis_url.split('://')[1]}" for name in names}
    admin.execute_command("ACL", "DELUSER", *names)


def test_readme_acl_users_do_what_it_says(users: dict[str, str]) -> None:
    assert set(users) == {"console-ro", "operator", "worker"}
    worker = redis.Redis.from_url(users["worker"])
    worker.hset(keys.HEARTBEAT, "web1", f'{{"ts": {time.time()}}}')
    worker.rpush("huey.redis.stackwatch_web1", b"pickle")
    server = RequestServer(Settings(host="web1", redis_url=users["worker"]), worker, [])
    server.start()
    try:
        operator = FleetClient(redis.Redis.from_url(users["operator"]), "ops-box", "ops", 10.0)
        reply = operator.send(operator.request("web1", "act", endpoint="main", action="stop"))
    finally:
        server.stop()
    assert reply.status == "error" and "no supervisord named 'main'" in reply.error  # answered
    with pytest.raises(redis.exceptions.NoPermissionError):
        operator.redis.lpush("huey.redis.stackwatch_web1", b"evil pickle")

    reader = redis.Redis.from_url(users["console-ro"])
    assert [row.host for row in read_fleet(reader, time.time()).rows] == ["web1"]
    read_only = FleetClient(reader, "ro-box", "viewer", 1.0)
    refused = read_only.send(read_only.request("web1", "act", endpoint="main", action="stop"))
    assert refused.status == "error" and "refused" in refused.error
    assert worker.lrange("huey.redis.stackwatch_web1", 0, -1) == [b"pickle"]
