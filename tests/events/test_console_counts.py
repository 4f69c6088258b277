"""The Processes screen's data from the events: restart counts equal supervisord's spawns,
before the worker moved them (from the stream) and after (from the store), never doubled."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.cache import open_cache
from console.core.events.mover import move_events
from console.core.feeds.connections import Connections
from console.core.feeds.processes_live import LiveProcesses
from console.core.settings import Settings, SupervisorEndpoint
from console.core.store.engine import make_engine, upgrade
from tests.events.helpers import HOST, LISTENER, start_with_listener, stream_events, wait_for
from tests.events.test_listener_supervised import CRASH, RETRIES


def spawned(sv) -> int:
    """How many times supervisord's own log says it spawned the crashing program."""
    log = (sv.logdir / "supervisord.log").read_text()
    return log.count("spawned: 'crash'")


@pytest.mark.slow
def test_restart_counts_and_transitions_come_from_the_events(
    redis_url: str, tmp_path: Path, supervisord_factory
) -> None:
    sv = start_with_listener(
        supervisord_factory, tmp_path, [CRASH], {"STACKWATCH_REDIS_URL": redis_url}
    )
    database = f"sqlite:///{tmp_path / 'sw.db'}"
    engine = make_engine(database)
    upgrade(engine)
    settings = Settings(
        host=HOST,
        redis_url=redis_url,
        database_url=database,
        supervisors=(SupervisorEndpoint("default", sv.url),),
    )
    connections = Connections(settings)
    service = LiveProcesses(connections)
    try:
        service.follow_events(HOST)
        sv.rpc().supervisor.startProcess("crash", False)
        sv.wait_for_state("crash:crash", {"FATAL"}, timeout=30)
        cache = open_cache(settings)
        wait_for(lambda: any(e.to_state == "FATAL" for e in stream_events(cache, "crash:crash")))
        assert service.follow_events(HOST)  # the screen would poll at once
        view = service.poll(HOST)
        assert view.listeners == {"default": "RUNNING"}
        assert view.restarts[("default", "crash:crash")] == (RETRIES + 1, RETRIES + 1)
        assert spawned(sv) == RETRIES + 1
        move_events(cache, engine, HOST, now=0)
        later = LiveProcesses(connections)  # a console started after the worker moved them
        later.follow_events(HOST)
        assert later.poll(HOST).restarts[("default", "crash:crash")] == (RETRIES + 1, RETRIES + 1)
        later.close()
        shown = service.transitions("default", "crash:crash")
        assert shown.errors == ()
        assert [e.to_state for e in shown.events].count("STARTING") == RETRIES + 1
        assert shown.events[0].to_state == "FATAL"
        assert LISTENER not in {e.program for e in shown.events}
    finally:
        service.close()
        connections.close()
