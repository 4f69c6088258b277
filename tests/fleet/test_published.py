"""The published process list: written by a worker, parsed by a console (foreign data too),
and brought up to date by the event listener's newer events."""

from __future__ import annotations

import json

from console.core.events.model import ProcessEvent
from console.core.feeds.processes_remote import with_events
from console.core.fleet.published import Published, parse_published, processes_payload
from console.core.parse import Invalid
from console.core.supervisor.models import EndpointStatus, ProcessesSnapshot, ProcessInfo

TS = 1_780_000_000.0


def snapshot() -> ProcessesSnapshot:
    web = ProcessInfo("main", "web", "web", 20, "RUNNING", pid=41, start=int(TS) - 60, now=int(TS))
    job = ProcessInfo("main", "jobs", "jobs_0", 200, "FATAL", spawnerr="bad \x1b[2Jcommand")
    return ProcessesSnapshot("web-2", TS, (web, job), (EndpointStatus("main", "unix://x"),))


def test_round_trip_keeps_states_and_redirects() -> None:
    raw = processes_payload(snapshot(), frozenset({"main/web:web"}), read_only=True)
    back = parse_published(raw, "web-2")
    assert isinstance(back, Published)
    assert [(p.full_name, p.statename, p.pid) for p in back.snapshot.processes] == [
        ("web:web", "RUNNING", 41),
        ("jobs:jobs_0", "FATAL", 0),
    ]
    assert back.redirected == {"main/web:web"} and back.read_only
    assert "\x1b" not in back.snapshot.processes[1].spawnerr
    assert back.snapshot.endpoints[0].url == "via the worker on web-2"


def test_foreign_payloads_are_invalid_readings_not_errors() -> None:
    assert parse_published(None, "h") is None
    for raw in (b"\xff", b"[]", b'{"ts": 1}', b'{"ts": "x", "endpoints": [], "processes": []}'):
        assert isinstance(parse_published(raw, "h"), Invalid)
    one_bad = json.loads(processes_payload(snapshot()))
    one_bad["processes"][0]["pid"] = "forty-one"
    back = parse_published(json.dumps(one_bad), "web-2")
    assert [p.full_name for p in back.snapshot.processes] == ["jobs:jobs_0"]
    assert len(back.snapshot.invalid) == 1 and "pid" in back.snapshot.invalid[0].reason


def test_newer_listener_events_win_older_ones_do_not() -> None:
    events = [
        ProcessEvent(TS - 5, "main", "process", "web:web", "STOPPED"),  # before the list
        ProcessEvent(TS + 1, "main", "process", "web:web", "STOPPED", pid=41),
        ProcessEvent(TS + 2, "main", "process", "jobs:jobs_0", "STARTING", pid=77),
        ProcessEvent(TS + 3, "main", "process", "jobs:jobs_0", "RUNNING", pid=77),
    ]
    web, job = with_events(snapshot(), events).processes
    assert (web.statename, web.pid) == ("STOPPED", 0)
    assert (job.statename, job.pid, job.start) == ("RUNNING", 77, int(TS) + 3)
    assert with_events(snapshot(), events[:1]) == snapshot()


def test_a_list_its_worker_stopped_publishing_is_shown_as_stale(redis_url: str) -> None:
    import redis

    from console.core import keys
    from console.core.feeds.processes_remote import remote_snapshot

    client = redis.Redis.from_url(redis_url)
    client.set(keys.fleet_processes("web-2"), processes_payload(snapshot(), interval=10))
    fresh, _ = remote_snapshot(client, "web-2", TS + 15)
    assert [e.kind for e in fresh.endpoints] == ["ok"]
    old, _ = remote_snapshot(client, "web-2", TS + 600)
    assert [e.kind for e in old.endpoints] == ["stale"]
    assert "last published 10m ago" in old.endpoints[0].message
    assert len(old.processes) == 2  # still there, to be shown as last known
    missing, _ = remote_snapshot(client, "web-9", TS)
    assert missing.endpoints[0].kind == "missing" and not missing.processes
