"""A console with no supervisord URL sees and controls two hosts through their workers."""

from __future__ import annotations

import dataclasses
import time

import pytest
import redis

from console.core import keys
from console.core.feeds import build_feeds
from console.core.fleet.client import FleetClient
from console.core.logs.search import Query
from console.core.settings import Settings
from tests.support.waits import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
STARTED_S = 60  # a worker's start and first collection, on a loaded machine


def running(feeds, host: str) -> dict[str, int]:
    """`group:name` -> pid of the RUNNING programs `host`'s worker published."""
    snapshot = feeds.processes.poll(host).snapshot
    return {p.full_name: p.pid for p in snapshot.processes if p.statename == "RUNNING"}


def console_env(monkeypatch, settings: Settings) -> None:
    """The same console for the commands: settings from the environment."""
    monkeypatch.setenv("STACKWATCH_REDIS_URL", settings.redis_url or "")
    monkeypatch.setenv("STACKWATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("STACKWATCH_HOST", settings.host)
    monkeypatch.setenv("STACKWATCH_DATA_DIR", settings.data_dir)


def test_console_lists_both_hosts_restarts_on_one_and_audits(
    fleet_host, console_settings: Settings, monkeypatch, capsys
) -> None:
    alpha, beta = fleet_host("alpha"), fleet_host("beta")
    feeds = build_feeds(console_settings)
    try:
        wait_until(lambda: "app:app" in running(feeds, "alpha"), "alpha's list", STARTED_S)
        wait_until(lambda: "app:app" in running(feeds, "beta"), "beta's list", STARTED_S)
        assert running(feeds, "beta")["app:app"] == beta.pid()

        def summaries() -> dict:
            rows = {r.host: r.summary for r in feeds.fleet.poll().rows}
            return rows if rows.get("alpha") and rows.get("beta") else {}

        # the list may come first (published while watched), the summary with a collection
        rows = wait_until(summaries, "both hosts in the fleet view", STARTED_S)
        assert rows["beta"].programs == 1 and rows["beta"].alerts == 0
        before = beta.pid()
        results = feeds.processes.act("restart", ["main"], "app:app", host="beta")
        assert [r.ok for r in results] == [True], [r.summary() for r in results]
        assert results[0].endpoint == "beta/main"
        assert beta.pid() != before
        assert alpha.pid() == running(feeds, "alpha")["app:app"]  # the other host untouched
        wait_until(lambda: running(feeds, "beta").get("app:app") == beta.pid(), "new pid shown")
        entries = feeds.processes.audit_entries()
        assert isinstance(entries, list)
        restart = [e for e in entries if e.action == "restart"]
        assert restart and restart[0].target == "beta/main/app:app"
        assert restart[0].host == "console-host"
        assert "ok" in restart[0].result
    finally:
        feeds.close()
    from console.cli import main

    console_env(monkeypatch, console_settings)
    capsys.readouterr()
    assert main(["status", "--host", "alpha"]) == 0
    out = capsys.readouterr().out
    assert "main: as the host's worker listed it" in out and "app" in out
    before = alpha.pid()
    assert main(["restart", "--host", "alpha", "--yes", "app"]) == 0
    assert "alpha/main: supervisorctl restart app: ok" in capsys.readouterr().out
    assert alpha.pid() != before
    before = alpha.pid()
    assert main(["restart", "--yes", "alpha/app"]) == 0  # host/program names a fleet host
    assert alpha.pid() != before
    assert main(["status", "--host", "nowhere"]) == 2
    main(["doctor", "--host", "alpha"])
    assert "1/1 programs running, as its worker publishes" in capsys.readouterr().out


def test_read_only_worker_refuses_a_console_that_is_not(
    fleet_host, console_settings: Settings
) -> None:
    guarded = fleet_host("guarded", read_only=True)
    feeds = build_feeds(console_settings)
    try:
        wait_until(lambda: "app:app" in running(feeds, "guarded"), "guarded's list", STARTED_S)
        before = guarded.pid()
        results = feeds.processes.act("stop", ["main"], "app:app", host="guarded")
        assert not results[0].ok
        assert "refused" in results[0].error and "read-only" in results[0].error
        assert guarded.pid() == before
        audited = [e for e in feeds.processes.audit_entries() if e.action == "stop"]
        assert audited and "refused" in audited[0].result
    finally:
        feeds.close()


def test_request_to_a_stopped_worker_times_out_and_never_runs_later(
    fleet_host, console_settings: Settings
) -> None:
    sleepy = fleet_host("sleepy")
    feeds = build_feeds(dataclasses.replace(console_settings, fleet_timeout=3.0))
    try:
        wait_until(lambda: "app:app" in running(feeds, "sleepy"), "sleepy's list", STARTED_S)
        sleepy.stop_worker()
        # a console that dies after sending leaves its request in the list, unclaimed:
        # only its deadline (one second) keeps it from running
        orphan = FleetClient(redis.Redis.from_url(console_settings.redis_url), "gone", "ops", 1)
        sent = orphan.request("sleepy", "act", endpoint="main", action="stop", target="app:app")
        orphan.redis.lpush(keys.fleet_requests("sleepy"), sent.to_json())
        results = feeds.processes.act("stop", ["main"], "app:app", host="sleepy")
        assert not results[0].ok
        assert "timed out" in results[0].error and "will not be" in results[0].error
        assert orphan.redis.llen(keys.fleet_requests("sleepy")) == 1  # the orphan only
        pid = sleepy.pid()
        # the worker comes back; the request must stay unrun: wait until it has served
        # a later request (so it has looked at its list), then look at the program
        back = time.time()
        sleepy.start_worker()
        wait_until(
            lambda: feeds.processes.poll("sleepy").snapshot.ts > back, "worker back", STARTED_S
        )
        patient = build_feeds(console_settings)  # the default deadline for this one
        try:
            later = patient.processes.act("start", ["main"], "app:app", host="sleepy")
        finally:
            patient.close()
        assert later[0].ok, later[0].summary()
        assert sleepy.pid() == pid
        info = sleepy.supervisord.rpc().supervisor.getProcessInfo("app:app")
        assert info["statename"] == "RUNNING"
        assert orphan.redis.llen(keys.fleet_requests("sleepy")) == 0  # taken, dropped
        assert orphan.redis.llen(keys.fleet_reply(sent.id)) == 0  # and never answered
        assert f"fleet request {sent.id} expired before it was taken" in sleepy.log.read_text()
    finally:
        feeds.close()


def test_console_reads_the_other_hosts_log_through_its_worker(
    fleet_host, console_settings: Settings, capsys, monkeypatch
) -> None:
    fleet_host("gamma")
    feeds = build_feeds(console_settings)
    try:
        wait_until(lambda: "app:app" in running(feeds, "gamma"), "gamma's list", STARTED_S)
        sources, problems = feeds.logs.sources("gamma")
        assert problems == []
        app = next(s for s in sources if s.kind == "program" and s.program == "app")
        assert app.host == "gamma"
        reader = feeds.logs.open(app)
        batch = reader.start(20)
        assert "hello from gamma" in [line.text for line in batch.lines]
        # the whole-file filter, scanned by gamma's worker in pieces
        pages = list(reader.filtered(Query("hello"), 10))
        assert [line.text for lines, _ in pages for line in lines] == ["hello from gamma"]
        assert pages[-1][1].done
        with pytest.raises(OSError, match="RE2"):  # no backtracking regex runs on a worker
            list(reader.filtered(Query(r"(l)\1", regex=True), 10))
    finally:
        feeds.close()
    from console.cli import main

    console_env(monkeypatch, console_settings)
    capsys.readouterr()
    assert main(["logs", "--host", "gamma", "--lines", "5", "app"]) == 0
    assert "hello from gamma" in capsys.readouterr().out
    assert main(["logs", "--lines", "5", "gamma/app"]) == 0
    assert "hello from gamma" in capsys.readouterr().out
    assert main(["logs", "--host", "gamma", "--grep", "hello", "app"]) == 0
    assert "hello from gamma" in capsys.readouterr().out
    assert main(["logs", "--host", "gamma", "--grep", "hello", "--count", "app"]) == 0
    assert capsys.readouterr().out.strip().endswith("1")


def test_a_watched_host_publishes_between_its_collections(
    fleet_host, console_settings: Settings
) -> None:
    slow = fleet_host("slow", every=3600)  # one collection an hour: only watching helps
    feeds = build_feeds(console_settings)
    try:
        # each poll marks the host as watched; its worker then publishes every 2 s
        wait_until(lambda: "app:app" in running(feeds, "slow"), "slow's list", 40)
        slow.supervisord.rpc().supervisor.stopProcess("app:app")
        wait_until(lambda: "app:app" not in running(feeds, "slow"), "the stop shown", 40)
    finally:
        feeds.close()
