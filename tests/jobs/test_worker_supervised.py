"""The worker under a real supervisord, from the shipped program definition (paths templated)."""

from __future__ import annotations

import configparser
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from console.core.cache import open_cache
from console.core.store.engine import make_engine, upgrade
from console.core.store.models import PerformanceRow, QueueRow, SystemHealthRow
from tests.jobs.helpers import settings_for
from tests.support.supervisord import Program

CONF = Path(__file__).resolve().parents[2] / "supervisor" / "conf.d" / "stackwatch-worker.conf"


def worker_program(tmp: Path, env: dict[str, str]) -> Program:
    """The shipped [program:stackwatch-worker] with this machine's paths."""
    parser = configparser.RawConfigParser(inline_comment_prefixes=(";",))
    parser.read_string(CONF.read_text())
    options = dict(parser["program:stackwatch-worker"])
    command = options.pop("command").replace(
        "/opt/stackwatch/.venv/bin/stackwatch", f"{sys.executable} -m console"
    )
    options.pop("user", None)
    options["directory"] = str(tmp)
    options["startsecs"] = "1"
    for stream in ("stdout", "stderr"):
        options[f"{stream}_logfile"] = str(tmp / f"worker.{stream}.log")
    options["environment"] = ",".join(f'{k}="{v}"' for k, v in env.items())
    return Program("stackwatch-worker", command, options)


def wait_for(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"condition not met within {timeout}s")


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.slow
def test_supervised_worker_collects_and_survives_kill_9(
    redis_url: str, sqlite_url: str, tmp_path: Path, supervisord_factory
) -> None:
    # supervisord_factory last: torn down first, so the worker is gone before Redis is flushed
    # (else its last collection lands in the next test's Redis).
    engine = make_engine(sqlite_url)
    upgrade(engine)
    redis.Redis.from_url(redis_url).rpush("jobs", "a", "b")
    env = {
        "STACKWATCH_REDIS_URL": redis_url,
        "STACKWATCH_DATABASE_URL": sqlite_url,
        "STACKWATCH_HOST": "sv-test",
        "STACKWATCH_COLLECT_INTERVAL": "1",
        "STACKWATCH_STORE_INTERVAL": "1",
        "STACKWATCH_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "HOME": str(tmp_path),
    }
    sv = supervisord_factory([worker_program(tmp_path, env)])
    cache = open_cache(settings_for(redis_url=redis_url))
    wait_for(lambda: all(count(engine, m) for m in (SystemHealthRow, QueueRow, PerformanceRow)))
    for kind in ("health", "queue", "performance"):
        assert cache.get_latest(kind, "sv-test").ok
    assert cache.heartbeat("sv-test").ok
    info = sv.rpc().supervisor.getProcessInfo("stackwatch-worker")
    os.kill(info["pid"], signal.SIGKILL)
    restarted = wait_for(
        lambda: (
            (i := sv.rpc().supervisor.getProcessInfo("stackwatch-worker"))["pid"]
            not in (0, info["pid"])
            and i["statename"] == "RUNNING"
            and i
        )
    )
    before = count(engine, PerformanceRow)
    wait_for(lambda: count(engine, PerformanceRow) > before)
    with engine.connect() as conn:
        doubled = conn.execute(
            select(SystemHealthRow.bucket)
            .group_by(SystemHealthRow.host, SystemHealthRow.resolution_s, SystemHealthRow.bucket)
            .having(func.count() > 1)
        ).all()
    assert doubled == []
    assert restarted["pid"] != info["pid"]


@pytest.mark.slow
def test_worker_survives_a_redis_outage_and_resumes(tmp_path: Path, sqlite_url: str) -> None:
    port = _free_port()
    upgrade(make_engine(sqlite_url))

    def start_redis() -> subprocess.Popen:
        proc = subprocess.Popen(
            ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: _ping(port))
        return proc

    server = start_redis()
    url = f"redis://127.0.0.1:{port}/0"
    env = {
        **os.environ,
        "STACKWATCH_REDIS_URL": url,
        "STACKWATCH_DATABASE_URL": sqlite_url,
        "STACKWATCH_HOST": "outage",
        "STACKWATCH_COLLECT_INTERVAL": "1",
        "STACKWATCH_STORE_INTERVAL": "1",
    }
    stderr = (tmp_path / "worker.err").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "console", "worker", "--workers", "1"], env=env, stderr=stderr
    )
    cache = open_cache(settings_for(redis_url=url))
    try:
        wait_for(lambda: cache.heartbeat("outage").ok)
        server.terminate()
        server.wait()
        down_at = time.monotonic()
        cpu_before = _cpu(worker.pid)
        time.sleep(6)  # the outage itself: nothing to poll for, we want time to pass
        assert worker.poll() is None
        cpu_used = _cpu(worker.pid) - cpu_before
        server = start_redis()
        back_at = time.monotonic()
        wait_for(lambda: _beat_after(cache, "outage"), timeout=15)
        resumed_in = time.monotonic() - back_at
        lines = (tmp_path / "worker.err").read_text().splitlines()
        errors = [line for line in lines if " ERROR " in line or " WARNING " in line]
        assert worker.poll() is None
        assert len(errors) < 20, errors[-5:]  # rate-limited: a handful, not one per second
        assert cpu_used < 0.5 * (back_at - down_at)
        assert resumed_in < 15
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=20)
        server.terminate()
        server.wait()


def _beat_after(cache, host: str) -> bool:
    beat = cache.heartbeat(host)
    return beat.ok and beat.ts is not None and time.time() - beat.ts < 2


def _cpu(pid: int) -> float:
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def _ping(port: int) -> bool:
    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=0.2).ping())
    except redis.ConnectionError:
        return False


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
