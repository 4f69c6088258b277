"""The fleet view's feed and `stackwatch hosts`, on a real Redis holding what workers write."""

from __future__ import annotations

import json
import time

import redis

from console.core import keys
from console.core.feeds.fleet import read_fleet, remove_host
from console.core.fleet.summary import summary_payload
from console.core.metrics import QueueDepth, QueueSnapshot, SystemHealth


def report(client: redis.Redis, host: str, ts: float, **summary) -> None:
    """What a worker writes each collection: its heartbeat and its summary."""
    beat = {"ts": ts, "collect_interval": 10, "store": {"status": "ok", "since": None}}
    client.hset(keys.HEARTBEAT, host, json.dumps(beat))
    health = SystemHealth(host, ts, cpu_percent=12.0, mem_percent=40.0)
    queues = QueueSnapshot(host, ts, (QueueDepth("mail", "redis", pending=7),))
    client.hset(keys.FLEET_SUMMARY, host, summary_payload(host, ts, health, queues, None))
    if summary:
        client.hset(keys.FLEET_SUMMARY, host, json.dumps({"ts": ts, "host": host} | summary))


def test_rows_worst_first_and_a_silent_host_stays_down_until_removed(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    now = time.time()
    report(client, "web1", now - 3)
    report(client, "web2", now - 3, programs=4, running=2, fatal=1, backoff=1, alerts=1)
    report(client, "old", now - 3600)
    client.hset(keys.FLEET_SUMMARY, "evil", b"\xff not json")
    view = read_fleet(client, now)
    assert [(r.host, r.state) for r in view.rows] == [
        ("evil", "down"),  # no heartbeat, and its summary does not fit
        ("old", "down"),
        ("web2", "bad"),
        ("web1", "ok"),
    ]
    web1 = next(r for r in view.rows if r.host == "web1")
    assert web1.summary.worst_backlog == 7 and web1.summary.cpu == 12.0
    assert next(r for r in view.rows if r.host == "web2").why == (
        "1 alert firing, 1 FATAL, 1 BACKOFF"
    )
    assert [bad.what for bad in view.invalid] == ["summary of evil"]
    assert view.exit_code() == 1
    assert remove_host(client, "old") >= 2
    assert "old" not in [r.host for r in read_fleet(client, now).rows]


def test_one_round_trip_whatever_the_number_of_hosts(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    now = time.time()
    for i in range(50):
        report(client, f"h{i:03d}", now)
    before = client.info("stats")["total_commands_processed"]
    view = read_fleet(client, now)
    after = client.info("stats")["total_commands_processed"]
    assert len(view.rows) == 50 and view.exit_code() == 0
    assert after - before == 3  # the two HGETALLs, and the INFO that counted them


def test_hosts_command_exit_codes(redis_url: str, monkeypatch, capsys) -> None:
    from console.cli import main

    monkeypatch.setenv("STACKWATCH_REDIS_URL", redis_url)
    assert main(["hosts"]) == 2  # nobody reports: cannot tell
    client = redis.Redis.from_url(redis_url)
    report(client, "web1", time.time())
    assert main(["hosts"]) == 0
    assert "web1" in capsys.readouterr().out
    report(client, "gone", time.time() - 86400)
    assert main(["hosts", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [h["host"] for h in data["hosts"]] == ["gone", "web1"]
    assert data["hosts"][0]["state"] == "down"
    monkeypatch.setenv("STACKWATCH_REDIS_URL", "redis://127.0.0.1:1/0")
    assert main(["hosts"]) == 2


def test_kept_parses_follow_changes_and_removals(redis_url: str) -> None:
    from console.core.feeds.fleet import Parsed

    client = redis.Redis.from_url(redis_url)
    now = time.time()
    report(client, "web1", now, programs=2, running=2)
    report(client, "web2", now)
    parsed = Parsed()
    first = {r.host: r for r in read_fleet(client, now, parsed).rows}
    assert first["web1"].summary.running == 2
    report(client, "web1", now + 1, programs=2, running=1, fatal=1)
    remove_host(client, "web2")
    second = {r.host: r for r in read_fleet(client, now + 1, parsed).rows}
    assert set(second) == {"web1"}
    assert second["web1"].state == "bad" and second["web1"].summary.running == 1


def test_forgetting_a_host_is_audited(redis_url: str, sqlite_url: str) -> None:
    from console.core.feeds import build_feeds
    from console.core.settings import Settings
    from console.core.store import audit
    from console.core.store.engine import make_engine, upgrade

    engine = make_engine(sqlite_url)
    upgrade(engine)
    client = redis.Redis.from_url(redis_url)
    report(client, "gone", time.time() - 86400)
    feeds = build_feeds(Settings(host="ops-box", redis_url=redis_url, database_url=sqlite_url))
    try:
        assert [r.state for r in feeds.fleet.poll().rows] == ["down"]
        assert feeds.fleet.remove("gone").startswith("removed 2 entries of gone")
        assert feeds.fleet.poll().rows == ()
    finally:
        feeds.close()
    entry = audit.recent(engine, 1)[0]
    assert (entry.action, entry.target, entry.host) == ("remove_host", "gone", "ops-box")
