"""The demo keeps to itself: its own redis-server on a socket in its directory, or a database
of its own on a shared Redis that it empties on the way out; a second shell finds it."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import redis

from tests.cli.test_demo import processes_mentioning
from tests.conftest import missing_service

DEMO = [sys.executable, "-m", "console", "demo", "--no-history", "--interval", "2"]


def start_demo(root: Path, *extra: str, seconds: float = 4) -> subprocess.Popen:
    command = [*DEMO, "--dir", str(root), "--headless", str(seconds), *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=150)
    assert proc.returncode == 0, out + err
    return out


def test_two_demos_sharing_a_redis_use_databases_of_their_own_and_leave_no_key(
    tmp_path: Path, redis_url: str
) -> None:
    shared = redis.Redis.from_url(redis_url)
    shared.set("someone:else", "keep me")
    first = start_demo(tmp_path / "a", "--redis", redis_url)
    second = start_demo(tmp_path / "b", "--redis", redis_url, "--clean")
    outputs = [finish(first), finish(second)]
    where = [line for out in outputs for line in out.splitlines() if "shared Redis" in line]
    assert len(where) == 2 and where[0] != where[1]  # two different databases
    assert all("removed its" in out for out in outputs)
    info = shared.info("keyspace")
    assert info == {"db0": info["db0"]} and shared.keys("*") == [b"someone:else"]
    assert processes_mentioning(tmp_path) == []


def test_a_demo_runs_its_own_redis_and_a_second_shell_reaches_it(tmp_path: Path) -> None:
    if not shutil.which("redis-server"):
        missing_service("redis-server is not installed")
    root = tmp_path / "own"
    proc = start_demo(root, seconds=10)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "from a second shell" in line:
            break
    copied = proc.stdout.readline().strip()
    assert copied == f"stackwatch --config {root / 'stackwatch.toml'} status"
    assert f'redis_url = "unix://{root / "redis.sock"}' in (root / "stackwatch.toml").read_text()
    deadline = time.monotonic() + 60
    while not (root / "supervisor.sock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for a condition: the demo's supervisord is up
    argv = shlex.split(copied)
    status = _run_status(argv, proc)
    assert status.returncode in (0, 1), status.stderr  # 1: a program is FATAL, as planned
    assert "demo-web" in status.stdout
    finish(proc)
    assert processes_mentioning(root) == []


def _run_status(argv: list[str], proc: subprocess.Popen) -> subprocess.CompletedProcess:
    """`stackwatch ...` as copied, run with this interpreter, while the demo still runs."""
    command = [sys.executable, "-m", "console", *argv[1:]]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert proc.poll() is None, "the demo ended before the second shell asked"
    return done
