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
    err = capsys.readouterr().err
    assert "no log named 'main/nope'" in err and "known: web, supervisord" in err


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


def _two_logs(tmp_path: Path) -> tuple[str, str]:
    a = tmp_path / "a.log"
    a.write_text(
        "2024-05-01 10:00:00 INFO a1\n2024-05-01 10:00:02 ERROR a2\n"
        'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: v\n'
        "2024-05-01 10:00:04 INFO a3\n"
    )
    b = tmp_path / "b.log"
    b.write_text(
        "2024-05-01 10:00:01 INFO b1\n2024-05-01 10:00:03 ERROR b2\n2024-05-01 10:00:05 INFO b3\n"
    )
    return str(a), str(b)


def test_several_logs_merged_by_time_and_tagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = _two_logs(tmp_path)
    assert main(["logs", a, b, "-n", "6"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "a.log │ Traceback (most recent call last):",  # without a time: stays after a2
        'a.log │   File "x.py", line 1',
        "a.log │ ValueError: v",
        "b.log │ 2024-05-01 10:00:03 ERROR b2",
        "a.log │ 2024-05-01 10:00:04 INFO a3",
        "b.log │ 2024-05-01 10:00:05 INFO b3",
    ]
    assert main(["logs", a, b, "--since", "2024-05-01 10:00:04"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "a.log │ 2024-05-01 10:00:04 INFO a3",
        "b.log │ 2024-05-01 10:00:05 INFO b3",
    ]


def test_grep_count_and_since(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _two_logs(tmp_path)
    preset = "|".join(["\\bERROR\\b", "^Traceback", "^[A-Za-z]+Error: "])
    assert main(["logs", a, "--grep", preset]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "2024-05-01 10:00:02 ERROR a2"
    assert main(["logs", a, b, "--grep", "error", "-i", "--count"]) == 0
    assert capsys.readouterr().out.split() == ["a.log", "2", "b.log", "1", "total", "3"]
    assert main(["logs", b, "--grep", "INFO", "--since", "2024-05-01 10:00:02", "--count"]) == 0
    assert capsys.readouterr().out == "1\n"
    assert main(["logs", b, "--grep", "INFO", "-v"]) == 0
    assert capsys.readouterr().out == "2024-05-01 10:00:03 ERROR b2\n"
    assert main(["logs", b, "--grep", "(a"]) == 2
    assert main(["logs", b, "--since", "yesterday-ish"]) == 2
    assert main(["logs", b, "--count"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and "not a valid regular expression" in err[0] and "not a time" in err[1]


def test_one_name_per_log_shared_with_the_console(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], supervisord_factory
) -> None:
    """The names `stackwatch logs` lists are the console picker's, and each one works."""
    code = (
        "import sys,time; print('w-out', flush=True); "
        "print('w-err', file=sys.stderr, flush=True); time.sleep(60)"
    )
    sv = supervisord_factory([Program("stackwatch-worker", f'{sys.executable} -c "{code}"')])
    sv.wait_for_state("stackwatch-worker", {"RUNNING"})
    same_file = sv.logdir / "stackwatch-worker.out.log"
    config = tmp_path / "stackwatch.toml"
    config.write_text(
        f'[[supervisor]]\nname = "main"\nurl = "{sv.url}"\n\n'
        f'[[log]]\nname = "worker-out"\npath = "{same_file}"\n'
    )
    base = ["--config", str(config), "logs"]
    assert main(base) == 0
    names = capsys.readouterr().out.split()
    assert names == ["stackwatch-worker", "supervisord"]  # the file is the program's: once
    deadline = time.monotonic() + 10
    out = ""
    while "w-err" not in out and time.monotonic() < deadline:
        assert main([*base, "stackwatch-worker", "--stderr"]) == 0  # what the banner says
        out = capsys.readouterr().out
    assert out == "w-err\n"
    assert main([*base, "supervisord", "-n", "50"]) == 0
    assert "supervisord started" in capsys.readouterr().out
    assert main([*base, "stackwatch-worker:stderr", "stackwatch-worker"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "stackwatch-worker:err │ w-err",
        "stackwatch-worker     │ w-out",
    ]
