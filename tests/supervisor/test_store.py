"""Audit log and process events on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from console.core.store import audit, process_events
from console.core.store.engine import make_engine, upgrade
from console.core.supervisor.models import EndpointStatus, ProcessesSnapshot, ProcessInfo


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_audit_appends_and_lists_newest_first(engine, monkeypatch) -> None:
    monkeypatch.setenv("SUDO_USER", "alice")
    first = audit.entry("h", "restart", "local/web:*", "supervisorctl restart web:*", "ok")
    second = audit.entry("h", "stop", "local/db", "supervisorctl stop db", "1 of 1 failed")
    assert audit.record(engine, [first, second]) == 2
    entries = audit.recent(engine)
    assert [e.action for e in entries] == ["stop", "restart"]
    assert entries[0].user == "alice" and entries[1].command == "supervisorctl restart web:*"


def _snap(ts: float, *states: tuple[str, int]) -> ProcessesSnapshot:
    processes = tuple(
        ProcessInfo("local", "web", f"w{i}", 0, state, pid=pid)
        for i, (state, pid) in enumerate(states)
    )
    return ProcessesSnapshot("h", ts, processes, (EndpointStatus("local", "unix:///x"),))


def test_state_changes_are_recorded_and_restarts_counted(engine) -> None:
    now = 100_000.0
    assert process_events.record_changes(engine, _snap(now - 7200, ("RUNNING", 10))) == 1
    assert process_events.record_changes(engine, _snap(now - 7100, ("RUNNING", 10))) == 0
    process_events.record_changes(engine, _snap(now - 7000, ("RUNNING", 11)))  # missed restart
    process_events.record_changes(engine, _snap(now - 60, ("STARTING", 12)))
    process_events.record_changes(engine, _snap(now - 30, ("RUNNING", 12)))
    counts = process_events.restart_counts(engine, "h", now)
    assert counts[("local", "web:w0")] == process_events.RestartCounts(hour=1, day=2)


def test_unreachable_endpoint_records_nothing(engine) -> None:
    down = ProcessesSnapshot("h", 1.0, (), (EndpointStatus("local", "unix:///x", "refused"),))
    assert process_events.record_changes(engine, down) == 0


def test_collections_count_a_real_restart(engine, supervisord_factory) -> None:
    from console.core.settings import Settings, SupervisorEndpoint
    from jobs.collectors.processes import collect_processes
    from tests.supervisor.helpers import actions_for
    from tests.support.supervisord import Program

    sv = supervisord_factory([Program("web", "sleep 60")])
    sv.wait_for_state("web", {"RUNNING"})
    settings = Settings(host="h", supervisors=(SupervisorEndpoint("local", sv.url),))
    first = collect_processes(settings)
    process_events.record_changes(engine, first)
    assert actions_for(sv).restart("web").ok
    second = collect_processes(settings)
    assert process_events.record_changes(engine, second) == 1  # RUNNING, new pid
    counts = process_events.restart_counts(engine, "h", second.ts)
    assert counts[("local", "web:web")] == process_events.RestartCounts(hour=1, day=1)
