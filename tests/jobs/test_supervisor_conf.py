"""The shipped supervisord files have the settings a production worker needs."""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "supervisor"


def _parse(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(inline_comment_prefixes=(";",))
    parser.read_string(path.read_text())
    return parser


def test_supervisord_conf_uses_a_private_socket_and_includes_conf_d() -> None:
    conf = _parse(ROOT / "supervisord.conf")
    assert conf["unix_http_server"]["chmod"] == "0700"
    assert "inet_http_server" not in conf
    factory = conf["rpcinterface:supervisor"]["supervisor.rpcinterface_factory"]
    assert factory == "supervisor.rpcinterface:make_main_rpcinterface"
    assert conf["include"]["files"] == "conf.d/*.conf"


def test_worker_program_stops_gracefully_restarts_and_rotates_logs() -> None:
    program = _parse(ROOT / "conf.d" / "stackwatch-worker.conf")["program:stackwatch-worker"]
    assert program["autostart"] == "true"
    assert program["autorestart"] == "true"
    assert int(program["startretries"]) >= 3
    assert int(program["startsecs"]) >= 1
    assert program["stopsignal"] == "INT"
    assert int(program["stopwaitsecs"]) > 60  # longer than the longest job (60 s retry step)
    assert program["stopasgroup"] == "true" and program["killasgroup"] == "true"
    assert program["stdout_logfile"] != program["stderr_logfile"]
    for stream in ("stdout", "stderr"):
        assert program[f"{stream}_logfile_maxbytes"] == "10MB"
        assert program[f"{stream}_logfile_backups"] == "7"
    assert " worker" in program["command"]


def test_example_app_parses_and_is_not_enabled_by_default() -> None:
    example = ROOT / "conf.d" / "example-app.conf.example"
    assert not example.name.endswith(".conf")  # the include glob must not pick it up
    sections = _parse(example).sections()
    assert sections and all(s.startswith("program:") for s in sections)
