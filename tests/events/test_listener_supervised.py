"""The shipped event listener under a real supervisord, into a real cache and a real store."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from console.cli import main
from console.core.cache import open_cache
from console.core.errors import SourceUnavailable
from console.core.events.mover import move_events
from console.core.settings import Settings
from console.core.store.engine import make_engine, upgrade
from console.core.store.models import ProcessEventRow
from tests.events.helpers import HOST, start_with_listener, stream_events, wait_for
from tests.support.supervisord import Program

RETRIES = 2  # backoff waits 1 s, then 2 s: the loop ends in FATAL within ~4 s
CRASH = Program(
    "crash",
    "sh -c 'sleep 0.2; exit 3'",
    {"autostart": "false", "startsecs": "1", "startretries": str(RETRIES)},
)


def stored(engine, program: str) -> list[ProcessEventRow]:
    with engine.connect() as conn:
        query = (
            select(ProcessEventRow)
            .where(ProcessEventRow.program == program)
            .order_by(ProcessEventRow.id)
        )
        return list(conn.execute(query))


def crash_loop(sv, cache) -> None:
    sv.rpc().supervisor.startProcess("crash", False)
    sv.wait_for_state("crash:crash", {"FATAL"}, timeout=30)
    wait_for(
        lambda: any(e.to_state == "FATAL" for e in stream_events(cache, "crash:crash")),
        what="FATAL in the stream",
    )


def assert_crash_loop(rows: list[ProcessEventRow]) -> None:
    states = [r.to_state for r in rows]
    assert states.count("STARTING") == RETRIES + 1
    assert states[-1] == "FATAL"
    backoffs = [r for r in rows if r.to_state == "BACKOFF"]
    assert [(r.exitstatus, r.detail) for r in backoffs] == [(3, "exit status 3")] * (RETRIES + 1)
    assert all(r.endpoint == "default" and r.stream_id for r in rows)


@pytest.mark.slow
def test_crash_loop_into_fatal_is_stored_exactly(
    redis_url: str, database_url: str, tmp_path: Path, capsys, supervisord_factory
) -> None:
    cache = open_cache(Settings(redis_url=redis_url))
    sv = start_with_listener(
        supervisord_factory, tmp_path, [CRASH], {"STACKWATCH_REDIS_URL": redis_url}
    )
    crash_loop(sv, cache)
    engine = make_engine(database_url)
    upgrade(engine)
    moved = move_events(cache, engine, HOST, now=0)
    assert moved.stored >= 2 * (RETRIES + 1) + 1
    assert (moved.lost, moved.duplicates) == (0, 0)  # supervisord's numbers have no gap
    assert_crash_loop(stored(engine, "crash:crash"))
    assert move_events(cache, engine, HOST, now=0).stored == 0  # nothing twice
    assert_printed(redis_url, database_url, capsys)


def assert_printed(redis_url: str, database_url: str, capsys) -> None:
    """`stackwatch events` prints the same, each event once (from the store and the stream)."""
    flags = ["--redis-url", redis_url, "--database-url", database_url, "--host", HOST]
    capsys.readouterr()
    assert main([*flags, "events", "--program", "crash:crash"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum("STARTING -> BACKOFF  exit status 3" in line for line in lines) == RETRIES + 1
    assert lines[-1].endswith("crash:crash  BACKOFF -> FATAL")
    assert main([*flags, "events", "--since", "yesterday-ish"]) == 2
    assert "--since" in capsys.readouterr().err


@pytest.mark.slow
def test_events_wait_in_the_cache_while_the_database_is_down(
    supervisord_factory, tmp_path: Path, sqlite_url: str
) -> None:
    """Embedded backend (SQLite cache); the store unreachable during the whole crash loop."""
    settings = Settings(data_dir=str(tmp_path / "data"))
    cache = open_cache(settings)
    sv = start_with_listener(supervisord_factory, tmp_path, [CRASH], {})
    down = make_engine("postgresql+psycopg://stackwatch@127.0.0.1:1/nothing")
    crash_loop(sv, cache)
    with pytest.raises(SourceUnavailable):
        move_events(cache, down, HOST, now=0)
    engine = make_engine(sqlite_url)
    upgrade(engine)
    move_events(cache, engine, HOST, now=0)
    assert_crash_loop(stored(engine, "crash:crash"))


BURST_PROGRAMS, BURST_CYCLES = 50, 5  # each cycle: STARTING, RUNNING, STOPPING, STOPPED


@pytest.mark.slow
@pytest.mark.postgres
def test_a_burst_of_1000_events_is_stored_in_order_none_twice(
    redis_url: str, pg_url: str, tmp_path: Path, supervisord_factory
) -> None:
    """Production's pair (Redis, PostgreSQL); SQLite's insert path is the crash loop's."""
    database_url = pg_url
    cache = open_cache(Settings(redis_url=redis_url))
    programs = [
        Program(f"p{i:02d}", "sleep 600", {"autostart": "false", "stopsignal": "KILL"})
        for i in range(BURST_PROGRAMS)
    ]
    extra = "\n[group:burst]\nprograms=" + ",".join(p.name for p in programs) + "\n"
    sv = start_with_listener(
        supervisord_factory, tmp_path, programs, {"STACKWATCH_REDIS_URL": redis_url}
    )
    with open(sv.conf, "a") as conf:
        conf.write(extra)
    sv.rpc().supervisor.reloadConfig()
    for name in [p.name for p in programs]:
        sv.rpc().supervisor.removeProcessGroup(name)
    sv.rpc().supervisor.addProcessGroup("burst")
    for _ in range(BURST_CYCLES):
        sv.rpc().supervisor.startProcessGroup("burst", True)
        sv.rpc().supervisor.stopProcessGroup("burst", True)
    total = BURST_PROGRAMS * BURST_CYCLES * 4

    def burst_in_stream() -> int:
        return sum(1 for e in stream_events(cache) if e.program.startswith("burst:"))

    wait_for(lambda: burst_in_stream() == total, 120, what=f"{total} events in the stream")
    engine = make_engine(database_url)
    upgrade(engine)
    assert move_events(cache, engine, HOST, now=0).lost == 0  # supervisord dropped none
    assert move_events(cache, engine, HOST, now=0).stored == 0
    with engine.connect() as conn:
        rows = list(
            conn.execute(
                select(ProcessEventRow)
                .where(ProcessEventRow.program.like("burst:%"))
                .order_by(ProcessEventRow.id)
            )
        )
    assert len(rows) == total
    assert len({r.stream_id for r in rows}) == total
    cycle = ["STARTING", "RUNNING", "STOPPING", "STOPPED"]
    for program in {r.program for r in rows}:
        states = [r.to_state for r in rows if r.program == program]
        assert states == cycle * BURST_CYCLES, program
    stopped = [r for r in rows if r.to_state == "STOPPED"]
    assert {r.detail for r in stopped} == {"terminated by SIGKILL"}
    assert {r.exitstatus for r in stopped} == {-1}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_the_listener_keeps_events_in_memory_while_redis_is_down(
    supervisord_factory, tmp_path: Path, sqlite_url: str
) -> None:
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    sv = start_with_listener(supervisord_factory, tmp_path, [CRASH], {"STACKWATCH_REDIS_URL": url})
    sv.rpc().supervisor.startProcess("crash", False)
    sv.wait_for_state("crash:crash", {"FATAL"}, timeout=30)
    err_log = tmp_path / "listener-logs" / "events.err.log"
    wait_for(lambda: "events wait in memory" in err_log.read_text(), what="the listener says so")
    server = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    try:
        cache = open_cache(Settings(redis_url=url))
        wait_for(
            lambda: any(e.to_state == "FATAL" for e in stream_events(cache, "crash:crash")),
            what="buffered events in Redis",
        )
        engine = make_engine(sqlite_url)
        upgrade(engine)
        assert move_events(cache, engine, HOST, now=0).lost == 0  # all kept in memory
        assert_crash_loop(stored(engine, "crash:crash"))
        assert "cache is back" in err_log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
