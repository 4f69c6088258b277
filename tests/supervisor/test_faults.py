"""Outages are states with words: socket missing, stale socket, hung supervisord."""

from __future__ import annotations

import signal

import pytest

from console.core.settings import Settings, SupervisorEndpoint
from console.core.supervisor.errors import SupervisorUnavailable
from console.core.supervisor.poll import Poller, make_clients
from jobs.collectors.processes import collect_processes
from tests.supervisor.helpers import actions_for, client_for, wait_until
from tests.support.supervisord import Program


def test_socket_missing(tmp_path) -> None:
    endpoint = SupervisorEndpoint("gone", f"unix://{tmp_path}/nothing.sock")
    snapshot = collect_processes(Settings(host="h", supervisors=(endpoint,)))
    (status,) = snapshot.endpoints
    assert status.kind == "socket_missing" and "no such socket" in status.message
    assert snapshot.processes == ()


def test_killed_supervisord_leaves_a_stale_socket(supervisord_factory) -> None:
    sv = supervisord_factory([Program("a", "sleep 60")])
    sv.wait_for_state("a", {"RUNNING"})
    sv.signal(signal.SIGKILL)
    sv.process.wait(timeout=10)
    assert sv.socket.exists()
    with pytest.raises(SupervisorUnavailable) as info:
        client_for(sv).processes()
    assert info.value.kind == "refused" and "stale socket" in str(info.value)
    result = actions_for(sv).restart("a")
    assert not result.ok and "refused" in result.error


def test_stopped_supervisord_hits_the_deadline_then_recovers(supervisord_factory) -> None:
    sv = supervisord_factory([Program("a", "sleep 60")])
    sv.wait_for_state("a", {"RUNNING"})
    settings = Settings(
        host="h", supervisors=(SupervisorEndpoint("local", sv.url),), rpc_timeout=0.3
    )
    poller = Poller(make_clients(settings), "h", resources=False)
    assert poller.poll().endpoints[0].ok
    sv.signal(signal.SIGSTOP)
    try:
        status = poller.poll().endpoints[0]  # returns (pytest-timeout would catch a hang)
        assert status.kind == "deadline" and "0.3 s" in status.message
    finally:
        sv.signal(signal.SIGCONT)
    snapshot = poller.poll()
    assert snapshot.endpoints[0].ok and snapshot.processes[0].name == "a"
    poller.close()


def test_collector_joins_cpu_and_memory_of_the_tree(supervisord_factory) -> None:
    sv = supervisord_factory([Program("tree", "sh -c 'sleep 60 & sleep 60 & wait'")])
    sv.wait_for_state("tree", {"RUNNING"})
    settings = Settings(host="h", supervisors=(SupervisorEndpoint("local", sv.url),))
    poller = Poller(make_clients(settings), "h")
    first = poller.poll().processes[0]
    assert first.cpu_percent is None  # unprimed: no fake 0.0
    wait_until(lambda: poller.poll().processes[0].children == 2)  # sh has forked both
    second = poller.poll().processes[0]
    assert second.cpu_percent is not None and second.memory_rss and second.children == 2
    poller.close()
