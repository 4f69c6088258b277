"""The client against a real supervisord: reads, allow-list, read-only, credentials."""

from __future__ import annotations

import errno
import socket

import pytest

from console.core.settings import SupervisorEndpoint
from console.core.supervisor.client import SupervisorClient
from console.core.supervisor.errors import ReadOnlyRefused, SupervisorUnavailable, from_os_error
from tests.supervisor.helpers import actions_for, client_for
from tests.support.supervisord import Program


def test_processes_are_dataclasses_with_full_names(supervisord_factory) -> None:
    sv = supervisord_factory([Program("web", "sleep 60"), Program("worker", "sleep 60")])
    sv.wait_for_state("web", {"RUNNING"})
    sv.wait_for_state("worker", {"RUNNING"})
    processes = client_for(sv).processes()
    assert [p.full_name for p in processes] == ["web:web", "worker:worker"]
    web = processes[0]
    assert web.statename == "RUNNING" and web.pid > 0 and web.uptime is not None
    assert web.stdout_logfile.endswith("web.out.log")
    assert web.to_dict()["full_name"] == "web:web"


def test_only_allow_listed_methods_are_called(supervisord_factory) -> None:
    sv = supervisord_factory([Program("web", "sleep 60")])
    client = client_for(sv)
    with pytest.raises(ValueError, match="not an allowed"):
        client.call("supervisor.shutdown")
    with pytest.raises(ValueError, match="not an allowed"):
        client.call("system.multicall", [{"methodName": "supervisor.shutdown", "params": []}])
    assert sv.rpc().supervisor.getState()["statename"] == "RUNNING"


def test_read_only_client_refuses_every_mutating_call(supervisord_factory) -> None:
    sv = supervisord_factory([Program("web", "sleep 60")])
    before = sv.wait_for_state("web", {"RUNNING"})["pid"]
    client = client_for(sv, read_only=True)
    for method in ("supervisor.stopProcess", "supervisor.startProcess", "supervisor.signalProcess"):
        with pytest.raises(ReadOnlyRefused):
            client.call(method, "web", False)
    with pytest.raises(ReadOnlyRefused):
        client.multicall([("supervisor.stopProcess", ("web", False))])
    actions = actions_for(sv, read_only=True)
    for result in (actions.restart("web"), actions.stop("all"), actions.signal("web", "HUP")):
        assert not result.ok and "read-only" in result.error
    assert sv.rpc().supervisor.getProcessInfo("web")["pid"] == before


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_http_endpoint_with_auth_never_shows_the_password(supervisord_factory) -> None:
    port = _free_port()
    extra = f"\n[inet_http_server]\nport=127.0.0.1:{port}\nusername=admin\npassword=right-pw\n"
    supervisord_factory([Program("web", "sleep 60")], extra)
    url = f"http://127.0.0.1:{port}"
    wrong = SupervisorClient(SupervisorEndpoint("x", url, username="admin", password="wrong-pw"))
    assert "wrong-pw" not in repr(wrong) and "wrong-pw" not in repr(wrong._transport())
    with pytest.raises(SupervisorUnavailable) as info:
        wrong.processes()
    assert info.value.kind == "auth" and "wrong-pw" not in str(info.value)
    good = SupervisorClient(SupervisorEndpoint("x", url, username="admin", password="right-pw"))
    assert good.is_local and good.processes()[0].name == "web"


def test_permission_denied_names_socket_and_settings() -> None:
    error = from_os_error(
        PermissionError(errno.EACCES, "Permission denied"), "unix:///run/sv.sock", 3
    )
    assert error.kind == "permission"
    assert "/run/sv.sock" in str(error) and "chmod" in str(error) and "chown" in str(error)
