"""`stackwatch logs`: files, programs, and one-line failures with exit code 2."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from console.cli import main
from tests.support.supervisord import Program


def test_logs_of_a_file_sanitized(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(b"".join(b"line %d\n" % i for i in range(20)) + b"evil \x1b]0;x\x07\n")
    assert main(["logs", str(log), "-n", "2"]) == 0
    assert capsys.readouterr().out == "line 19\nevil \\x1b]0;x\\x07\n"


def test_unknown_program_and_unreachable_endpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], supervisord_factory
) -> None:
    assert main(["logs", "nothing"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err
    dead = f"unix://{tmp_path}/dead.sock"
    assert main(["--supervisor-url", dead, "logs", "web"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unreachable" in err
    sv = supervisord_factory([Program("web", "sleep 60")])
    assert main(["--supervisor-url", f"main={sv.url}", "logs", "main/nope"]) == 2
    assert "unknown program 'nope'" in capsys.readouterr().err


def test_logs_of_a_program_stderr(supervisord_factory, capsys: pytest.CaptureFixture[str]) -> None:
    code = "import sys,time; print('to-err', file=sys.stderr, flush=True); time.sleep(60)"
    sv = supervisord_factory([Program("web", f'{sys.executable} -c "{code}"')])
    sv.wait_for_state("web", {"RUNNING"})
    deadline = time.monotonic() + 10
    out = ""
    while "to-err" not in out and time.monotonic() < deadline:
        assert main(["--supervisor-url", f"main={sv.url}", "logs", "main/web", "--stderr"]) == 0
        out = capsys.readouterr().out
    assert out == "to-err\n"


def test_program_names_with_and_without_group_are_the_same_program() -> None:
    from console.core.logs.sources import same_program

    assert same_program("chatty", "chatty:chatty")
    assert same_program("shop:web", "shop:web")
    assert not same_program("web", "shop:web")
