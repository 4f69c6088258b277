"""The dashboard against real faults: Redis killed and restarted under a running app, and a
cache that accepts connections and never answers. Also the plain status without a terminal."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.core.cache import open_cache
from console.core.metrics import QueueDepth, QueueSnapshot, SystemHealth, to_payload
from console.core.settings import Settings
from console.core.store.engine import make_engine, upgrade
from console.tui.app import make_app
from tests.conftest import missing_service
from tests.support.screen import screen_text
from tests.support.silent import silent_server
from tests.support.waits import sync, until


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of our own, so the test can kill it and bring it back on the same port."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port, self.workdir = port, workdir
        self.proc: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)  # waiting for a process to listen: nothing to poll but the port
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    if not shutil.which("redis-server"):
        missing_service("redis-server is not installed")
    server = RedisServer(_free_port(), tmp_path).start()
    yield server
    server.kill()


def _feed(settings: Settings) -> None:
    cache = open_cache(settings)
    now = time.time()
    cache.put_latest(
        "health", settings.host, to_payload(SystemHealth(settings.host, now, cpu_percent=37.0))
    )
    snap = QueueSnapshot(settings.host, now, (QueueDepth("mail", "redis-list", pending=7),))
    cache.put_latest("queue", settings.host, to_payload(snap))
    cache.beat(settings.host, {})
    cache.close()


def _settings(redis_url: str, tmp_path: Path) -> Settings:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(make_engine(url))
    return Settings(
        host="web-1",
        redis_url=redis_url,
        database_url=url,
        data_dir=str(tmp_path),
        refresh_dashboard=0.5,
        rpc_timeout=1.0,
    )


@sync
async def test_redis_killed_shows_cache_down_and_recovers_by_itself(own_redis, tmp_path) -> None:
    settings = _settings(f"redis://127.0.0.1:{own_redis.port}/0", tmp_path)
    _feed(settings)
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "37%" in screen_text(app))
        own_redis.kill()
        await until(pilot, lambda: "cache DOWN" in screen_text(app), timeout=5.0)
        text = screen_text(app)
        assert "Cache down since" in text and "STALE" in text
        assert "37%" in text  # the last values are kept, marked stale
        own_redis.start()
        await until(pilot, lambda: app.model.state("cache").status == "ok", timeout=5.0)
        await until(pilot, lambda: "cache ok" in screen_text(app), "the header to say so")


@pytest.fixture
def silent_port() -> Iterator[int]:
    """Accepts connections and never answers: a hung Redis."""
    with silent_server() as port:
        yield port


@sync
async def test_a_hanging_cache_never_blocks_the_keys(silent_port, tmp_path) -> None:
    settings = _settings(f"redis://127.0.0.1:{silent_port}/0", tmp_path)
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.poller.running("cache"), "the cache poll to hang")
        for key, mode in (("2", "processes"), ("3", "queues"), ("1", "dashboard")):
            await pilot.press(key)
            assert app.current_mode == mode
        await pilot.press("right_square_bracket")
        assert app.screen.range_name == "6h"
        assert app.poller.running("cache")  # the poll is still hanging meanwhile
        await until(pilot, lambda: app.model.state("cache").status == "down", timeout=10.0)


def test_without_a_terminal_it_prints_a_plain_status(tmp_path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TERM": "xterm",
        "STACKWATCH_DATA_DIR": str(tmp_path),
        "STACKWATCH_HOST": "plain-host",
    }
    done = subprocess.run(
        [sys.executable, "-m", "console"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
        cwd=tmp_path,
    )
    assert "\x1b" not in done.stdout
    assert "stackwatch — host plain-host" in done.stdout
    assert "cache ok" in done.stdout and "health: no data yet" in done.stdout
    assert "(no terminal: plain status; use `stackwatch status` for processes)" in done.stdout
    assert done.returncode == 2  # the store has no schema yet: a source cannot be used
    assert "Traceback" not in done.stderr
