"""Bad values written into a real Redis, one per case: what each one should read as.

Each case writes raw bytes (never through our own writer) into one cache entry of HOST, next
to valid entries in the others, and names the words the console, plain mode and doctor must
show for it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import redis

from console.core import keys
from console.core.metrics import (
    PerformanceSnapshot,
    QueueDepth,
    QueueSnapshot,
    SystemHealth,
    to_payload,
)

HOST = "web-1"
MARKUP_HOST = "[@click=app.quit]x[/]"


@dataclass(frozen=True)
class Fault:
    name: str
    key: str  # the hash the raw value goes into (field HOST)
    raw: bytes
    shown: str  # the words every output must contain


def _entry(**fields: object) -> dict:
    return {"host": HOST, "ts": time.time(), **fields}


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


PERF, HEALTH, QUEUE = keys.latest("performance"), keys.latest("health"), keys.latest("queue")
DEEP = b'{"ts": 1, "x": ' + b"[" * 10000 + b"]" * 10000 + b"}"


def faults() -> list[Fault]:
    """Built at call time: the entries carry a fresh timestamp."""
    return [
        Fault("list for a number", PERF, _json(_entry(rps_avg=[1, 2])), "perf.rps_avg is a list"),
        Fault(
            "text for a number", HEALTH, _json(_entry(cpu_percent="97")), "cpu_percent is a string"
        ),
        Fault(
            "object for a list", QUEUE, _json(_entry(queues={"a": 1})), "queue.queues is an object"
        ),
        Fault(
            "NaN", HEALTH, b'{"host": "web-1", "ts": 1, "cpu_percent": NaN}', "NaN is not a number"
        ),
        Fault("huge number", PERF, _json(_entry(requests=10**30)), "perf.requests is out of range"),
        Fault(
            "huge entry",
            HEALTH,
            b'{"ts": 1, "x": "' + b"a" * (2 << 20) + b'"}',
            "(limit 1048576)",
        ),
        Fault("nested 10000 deep", QUEUE, DEEP, "nests 10001 levels deep"),
        Fault("duplicate key", PERF, b'{"host": "web-1", "ts": 1, "ts": 2}', "'ts' appears twice"),
        Fault(
            "duplicate queue",
            QUEUE,
            _json(_entry(queues=[{"name": "mail", "kind": "list"}] * 2)),
            "lists 'mail' twice",
        ),
        Fault("undecodable bytes", HEALTH, b"\xff\xfe{}", "is not UTF-8 text"),
        Fault("heartbeat without time", keys.HEARTBEAT, b'{"ts": [1]}', "timestamp is a list"),
    ]


def write_good(client: redis.Redis) -> None:
    """Valid entries for HOST, and one for a host whose name is markup."""
    now = time.time()
    client.hset(HEALTH, HOST, _json(to_payload(SystemHealth(HOST, now, cpu_percent=37.0))))
    snap = QueueSnapshot(HOST, now, (QueueDepth("mail", "redis-list", pending=7),))
    client.hset(QUEUE, HOST, _json(to_payload(snap)))
    client.hset(PERF, HOST, _json(to_payload(PerformanceSnapshot(HOST, now, rps_avg=3.0))))
    client.hset(keys.HEARTBEAT, HOST, _json({"ts": now}))
    client.hset(HEALTH, MARKUP_HOST, _json(to_payload(SystemHealth(MARKUP_HOST, now))))
    client.hset(HEALTH, b"\xff\xfe", b"{}")  # a host name no worker could write


def write_fault(client: redis.Redis, fault: Fault) -> None:
    write_good(client)
    client.hset(fault.key, HOST, fault.raw)
