"""`stackwatch status` and `stackwatch restart` exit codes, output and audit."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from console.cli import main
from console.core.store import audit
from console.core.store.engine import make_engine, upgrade
from tests.support.supervisord import Program


def _status(sv, capsys, *extra: str) -> tuple[int, str]:
    code = main(["--supervisor-url", f"local={sv.url}", "status", *extra])
    return code, capsys.readouterr().out


def test_status_exit_codes(supervisord_factory, capsys) -> None:
    sv = supervisord_factory(
        [
            Program("web", "sleep 60"),
            Program("manual", "sleep 60", {"autostart": "false"}),
        ]
    )
    sv.wait_for_state("web", {"RUNNING"})
    code, out = _status(sv, capsys)
    assert code == 0, out  # autostart=false and STOPPED is expected
    assert "web:web" in out and "RUNNING" in out and "pid " in out
    sv.rpc().supervisor.stopProcess("web")
    code, out = _status(sv, capsys, "--json")
    data = json.loads(out)
    assert code == 1 and data["not_running"] == ["local/web:web"]
    assert {p["full_name"] for p in data["processes"]} == {"web:web", "manual:manual"}
    sv.stop()
    code, out = _status(sv, capsys)
    assert code == 2 and "UNREACHABLE" in out


def test_status_loads_neither_textual_nor_sqlalchemy(supervisord_factory) -> None:
    sv = supervisord_factory([Program("web", "sleep 60")])
    sv.wait_for_state("web", {"RUNNING"})
    code = (
        "import sys; from console.cli import main; rc = main(['--supervisor-url', "
        f"'{sv.url}', 'status']); print(rc, sorted(m for m in ('textual', 'sqlalchemy', "
        "'psutil') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0 []"


def test_restart_needs_yes_without_a_terminal(supervisord_factory, capsys, monkeypatch) -> None:
    sv = supervisord_factory([Program("web", "sleep 60")])
    pid = sv.wait_for_state("web", {"RUNNING"})["pid"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(["--supervisor-url", sv.url, "restart", "web"])
    assert code == 2 and "--yes" in capsys.readouterr().err
    assert sv.rpc().supervisor.getProcessInfo("web")["pid"] == pid


def test_restart_read_only_is_refused(supervisord_factory, capsys) -> None:
    sv = supervisord_factory([Program("web", "sleep 60")])
    pid = sv.wait_for_state("web", {"RUNNING"})["pid"]
    code = main(["--read-only", "--supervisor-url", sv.url, "restart", "all", "--yes"])
    assert code == 2 and "read-only" in capsys.readouterr().err
    assert sv.rpc().supervisor.getProcessInfo("web")["pid"] == pid


def test_restart_yes_restarts_and_audits(supervisord_factory, capsys, sqlite_url) -> None:
    upgrade(make_engine(sqlite_url))
    sv = supervisord_factory([Program("web", "sleep 60"), Program("bad", "false")])
    pid = sv.wait_for_state("web", {"RUNNING"})["pid"]
    args = ["--database-url", sqlite_url, "--supervisor-url", sv.url]
    assert main([*args, "restart", "web", "--yes"]) == 0
    assert sv.rpc().supervisor.getProcessInfo("web")["pid"] != pid
    assert "ok" in capsys.readouterr().out
    assert main([*args, "restart", "nosuch", "--yes"]) == 2
    entries = audit.recent(make_engine(sqlite_url))
    assert entries[0].action == "restart" and entries[0].target == "default/web"
    assert entries[0].command == "supervisorctl restart web" and "ok" in entries[0].result


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_restart_asks_on_a_terminal_and_no_cancels(supervisord_factory, capsys, monkeypatch):
    sv = supervisord_factory([Program("web", "sleep 60")])
    pid = sv.wait_for_state("web", {"RUNNING"})["pid"]
    monkeypatch.setattr(sys, "stdin", _Terminal("n\n"))
    code = main(["--supervisor-url", sv.url, "restart", "web"])
    assert code == 1 and "Restart 1 process: default/web:web?" in capsys.readouterr().out
    assert sv.rpc().supervisor.getProcessInfo("web")["pid"] == pid
