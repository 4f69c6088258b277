"""doctor FAILs a supervisord whose XML-RPC is open beyond its owner: an [inet_http_server]
on a non-loopback address or without a password (real supervisords, real config files)."""

from __future__ import annotations

import socket

import pytest

from console.cli import main
from console.core.doctor import check_supervisors
from console.core.settings import Settings, SupervisorEndpoint
from console.core.supervisor.exposure import log_problems, url_problems


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def inet(port: int, bind: str = "127.0.0.1", auth: bool = False) -> str:
    lines = ["[inet_http_server]", f"port={bind}:{port}"]
    if auth:
        lines += ["username=ops", "password=sv-doctor-pass"]
    return "\n".join(lines) + "\n"


def exposure(endpoint: SupervisorEndpoint):
    checks = check_supervisors(Settings(host="h", supervisors=(endpoint,), data_dir="/nonexistent"))
    return next(c for c in checks if c.name.endswith("exposure"))


def test_an_inet_server_without_password_fails_seen_from_the_socket_or_http(
    supervisord_factory, capsys
) -> None:
    port = free_port()
    sv = supervisord_factory([], extra=inet(port))
    over_socket = exposure(SupervisorEndpoint("local", sv.url))
    assert over_socket.status == "fail"
    assert f"[inet_http_server] in {sv.conf} has no username/password" in over_socket.detail
    assert "port=127.0.0.1:9001" in over_socket.fix and "password" in over_socket.fix
    over_http = exposure(SupervisorEndpoint("web", f"http://127.0.0.1:{port}"))
    assert over_http.status == "fail"
    assert "answered without a username or password" in over_http.detail
    code = main(["--supervisor-url", f"http://127.0.0.1:{port}", "doctor"])
    out = capsys.readouterr().out
    assert code == 1 and "FAIL  supervisord default exposure" in out and "fix: in [inet" in out


def test_a_loopback_inet_server_with_a_password_passes(supervisord_factory, monkeypatch) -> None:
    port = free_port()
    sv = supervisord_factory([], extra=inet(port, auth=True))
    assert exposure(SupervisorEndpoint("local", sv.url)).status == "ok"
    endpoint = SupervisorEndpoint("web", f"http://127.0.0.1:{port}", "ops", "sv-doctor-pass")
    assert exposure(endpoint).status == "ok"


def test_an_inet_server_on_every_interface_fails_even_with_a_password(
    supervisord_factory,
) -> None:
    port = free_port()
    sv = supervisord_factory([], extra=inet(port, bind="*", auth=True))
    check = exposure(SupervisorEndpoint("local", sv.url))
    assert check.status == "fail"
    assert f"listens on every interface (port=*:{port})" in check.detail


def test_the_main_log_tells_when_the_config_cannot_be_read(supervisord_factory) -> None:
    sv = supervisord_factory([], extra=inet(free_port()))
    log = (sv.logdir / "supervisord.log").read_text()
    assert log_problems(log) == [
        "its log says the inet_http_server runs without any HTTP authentication"
    ]
    restarted_with_auth = log + "CRIT ... \nINFO supervisord started with pid 99\n"
    assert log_problems(restarted_with_auth) == []


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("http://10.0.0.5:9001", "over the network at 10.0.0.5"),
        ("http://[2001:db8::1]:9001", "over the network at 2001:db8::1"),
        ("http://127.0.0.1:9001", None),
        ("http://[::1]:9001", None),
        ("unix:///run/supervisor.sock", None),
    ],
)
def test_the_configured_url_alone(url: str, found: str | None) -> None:
    problems = url_problems(url, has_credentials=True, answered=True)
    assert (found in problems[0]) if found else problems == []
