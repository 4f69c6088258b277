"""Source states (pure) and the dashboard's data layer against a real Redis and SQLite store."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from console.core.cache import open_cache
from console.core.feeds import build_feeds
from console.core.metrics import QueueDepth, QueueSnapshot, SystemHealth, to_payload
from console.core.settings import Settings, SupervisorEndpoint
from console.core.sources import (
    DOWN,
    OK,
    STALE,
    SourceState,
    advance,
    age_text,
    heartbeat_state,
    is_stale,
)
from console.core.store import writes
from console.core.store.engine import make_engine, upgrade
from tests.support.silent import silent_server as _silent
from tests.support.supervisord import Program

NOW = 1_780_000_000.0
SPARKS = ("health.cpu_percent", "perf.rps_avg")


def test_since_stays_while_the_status_stays_and_moves_when_it_changes() -> None:
    first = advance(None, "cache", "cache", DOWN, "refused", NOW)
    later = advance(first, "cache", "cache", DOWN, "refused again", NOW + 30)
    back = advance(later, "cache", "cache", OK, "", NOW + 60)
    assert later.since == NOW and later.reason == "refused again"
    assert back.since == NOW + 60 and back.status == OK


def test_describe_says_since_when_and_why_in_plain_words() -> None:
    from datetime import UTC

    state = advance(None, "cache", "cache", DOWN, "connection refused\nTraceback...", NOW)
    assert state.describe(UTC) == "cache down since 20:26 — connection refused"
    assert state.short() == "cache DOWN"
    assert SourceState("db", "db").describe(UTC) == "db not checked yet"


def test_reasons_are_sanitized() -> None:
    state = advance(None, "cache", "cache", DOWN, "bad \x1b[31mred", NOW)
    assert "\x1b" not in state.reason and "\\x1b" in state.reason


def test_ages_and_staleness() -> None:
    assert age_text(NOW - 12, NOW) == "12s ago"
    assert age_text(NOW - 600, NOW) == "10m ago"
    assert age_text(None, NOW) == "no data"
    assert age_text(NOW + 5, NOW) == "0s ago"  # another host's clock a little ahead
    assert not is_stale(NOW - 119, NOW, 60) and is_stale(NOW - 121, NOW, 60)


def test_heartbeat_fresh_late_and_missing() -> None:
    assert heartbeat_state(None, NOW - 10, NOW, 60).status == OK
    assert heartbeat_state(None, NOW - 300, NOW, 60).status == STALE
    missing = heartbeat_state(None, None, NOW, 60)
    assert missing.status == DOWN and missing.reason == "no heartbeat"


# -- the data layer against real services ----------------------------------------------------


@pytest.fixture
def store_url(sqlite_url: str) -> str:
    upgrade(make_engine(sqlite_url))
    return sqlite_url


def _settings(redis_url: str | None, store_url: str, tmp_path, **kw) -> Settings:
    return Settings(
        host="web-1",
        redis_url=redis_url,
        database_url=store_url,
        data_dir=str(tmp_path),
        rpc_timeout=1.0,
        **kw,
    )


def test_reads_latest_values_heartbeat_and_hosts(redis_url, store_url, tmp_path) -> None:
    settings = _settings(redis_url, store_url, tmp_path)
    cache = open_cache(settings)
    now = time.time()
    cache.put_latest("health", "web-1", to_payload(SystemHealth("web-1", now, cpu_percent=50.0)))
    cache.put_latest("health", "web-2", to_payload(SystemHealth("web-2", now)))
    snap = QueueSnapshot("web-1", now, (QueueDepth("[bold]x[/]", "redis-list", pending=4),))
    cache.put_latest("queue", "web-1", to_payload(snap))
    cache.beat("web-1", {})
    reading = build_feeds(settings).dashboard.read_cache("web-1")
    assert reading.ok and reading.health.cpu_percent == 50.0
    assert reading.queues.queues[0].name == "[bold]x[/]"
    assert reading.performance is None and reading.heartbeat_ts is not None
    assert reading.hosts == ("web-1", "web-2")


def test_history_and_chart_come_from_the_store(redis_url, store_url, tmp_path) -> None:
    settings = _settings(redis_url, store_url, tmp_path)
    now = time.time()
    samples = [SystemHealth("web-1", now - 60 * i, cpu_percent=float(i)) for i in range(1, 30)]
    writes.write_health(make_engine(store_url), samples)
    sources = build_feeds(settings).dashboard
    history = sources.read_history("web-1", SPARKS, 60)
    assert history.ok and history.hosts == ("web-1",)
    assert any(v is not None for v in history.series["health.cpu_percent"])
    chart = sources.read_chart("web-1", "health.cpu_percent", 6 * 3600, 40)
    assert chart.ok and 0 < len(chart.points) <= 40


def test_a_dead_redis_is_a_reading_not_an_exception(store_url, tmp_path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    settings = _settings(f"redis://127.0.0.1:{port}/0", store_url, tmp_path)
    reading = build_feeds(settings).dashboard.read_cache("web-1")
    assert not reading.ok and "127.0.0.1" in reading.reason


def test_a_store_without_schema_says_what_to_run(sqlite_url, tmp_path) -> None:
    reading = build_feeds(_settings(None, sqlite_url, tmp_path)).dashboard.read_history(
        "web-1", SPARKS, 60
    )
    assert not reading.ok and "db upgrade" in reading.reason


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never answers."""
    with _silent() as port:
        yield port


def test_a_silent_supervisord_times_out_with_a_reason(silent_server, store_url, tmp_path) -> None:
    endpoint = SupervisorEndpoint("main", f"http://127.0.0.1:{silent_server}")
    settings = _settings(None, store_url, tmp_path, supervisors=(endpoint,))
    reading = build_feeds(settings).dashboard.check_supervisor(endpoint)
    assert not reading.ok and "no answer within" in reading.reason


def test_a_real_supervisord_answers(supervisord_factory, store_url, tmp_path) -> None:
    sv = supervisord_factory([Program("sleeper", "sleep 30")])
    endpoint = SupervisorEndpoint("main", sv.url)
    settings = replace(_settings(None, store_url, tmp_path), supervisors=(endpoint,))
    reading = build_feeds(settings).dashboard.check_supervisor(endpoint)
    assert reading.ok and reading.reason == "RUNNING"
    missing = SupervisorEndpoint("gone", f"unix://{tmp_path}/nothing.sock")
    reason = build_feeds(settings).dashboard.check_supervisor(missing).reason
    assert reason == f"{tmp_path}/nothing.sock: no such socket (supervisord is not running?)"


def test_worker_store_state_is_parsed_at_the_boundary() -> None:
    from console.core.sources import WorkerStore, parse_worker_store

    assert parse_worker_store(None) is None  # an older worker: nothing said
    assert parse_worker_store({"status": "ok", "since": None, "reason": ""}).ok
    hung = parse_worker_store({"status": "hung", "since": 1e9, "reason": "no answer\nin 5 s"})
    assert hung == WorkerStore("hung", 1e9, "no answer")
    for bad in ([1], {"status": "[b]gone[/b]"}, {"status": "down", "since": float("nan")}):
        assert parse_worker_store(bad).status == "invalid"


def test_the_db_chip_says_down_when_the_worker_cannot_write(
    redis_url: str, store_url: str, tmp_path
) -> None:
    """The console reads the store fine; the worker's heartbeat says it hangs: db DOWN, and
    the worker chip stays fresh (not STALE), in plain status as on the header."""
    from zoneinfo import ZoneInfo

    from console.commands.plain_status import plain_status
    from console.core.sources import database_state

    settings = _settings(redis_url, store_url, tmp_path)
    store = {"status": "hung", "since": time.time() - 30, "reason": "no answer in 5 s"}
    open_cache(settings).beat("web-1", {"pid": 1, "store": store})
    lines, code = plain_status(settings, time.time(), ZoneInfo("UTC"))
    text = "\n".join(lines)
    assert "db down since" in text and "worker: database hung since" in text, text
    assert "worker STALE" not in text and "worker stale" not in text
    assert code == 2
    reading = build_feeds(settings).dashboard.read_cache("web-1")
    chip = database_state(None, True, "", reading.worker_store, time.time())
    assert chip.short() == "db DOWN"
