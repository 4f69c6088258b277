"""No password in any output or log: every URL carries one (Redis with requirepass, PostgreSQL
userinfo and `?password=`, supervisord's inet server with Basic auth), every command runs for
real, and a grep of every stdout, stderr and log file finds none of them."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.support.supervisord import Program

REDIS_PW = "rds-Pw-7731"
PG_PW = "pg-Pw-4419"
PG_QUERY_PW = "pgq-Pw-5520"
SV_PW = "sv-Pw-9902"
ALERT_TOKEN = "hook-Tk-3381"  # alert targets carry their tokens in the path or the user part
SECRETS = (
    REDIS_PW,
    PG_PW,
    PG_QUERY_PW,
    SV_PW,
    ALERT_TOKEN,
    base64.b64encode(f"ops:{SV_PW}".encode()).decode(),
)
ROOT = Path(__file__).resolve().parents[2]

CRASHING_APP = """
from console.core.feeds import build_feeds
from console.core.settings import load_settings
from console.tui.app import StackwatchApp

class Crashing(StackwatchApp):
    def on_ready(self):
        settings = self.settings
        url = settings.redis_url
        raise RuntimeError(f"cannot use {url} with {settings.supervisors[0].password}")

settings = load_settings().settings
Crashing(settings, build_feeds(settings)).run(headless=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_with_password(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--requirepass", REDIS_PW, "--save", ""],
        stdout=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    url = f"redis://:{REDIS_PW}@127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


class Outputs:
    """Runs `stackwatch` commands for real and keeps every byte they print."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env, self.cwd = env, cwd
        self.seen: list[tuple[str, str]] = []

    def run(self, *args: str, code: int | None = None, **extra_env: str) -> str:
        text, returncode = self._run([sys.executable, "-m", "console", *args], extra_env)
        assert "Traceback" not in text, text
        if code is not None:
            assert returncode == code, text
        return text

    def run_anyhow(self, argv: list[str], **extra_env: str) -> str:
        """A run whose output may hold tracebacks (huey logs one per failed poll)."""
        return self._run(argv, extra_env)[0]

    def _run(self, argv: list[str], extra_env: dict[str, str]) -> tuple[str, int]:
        done = subprocess.run(
            argv,
            env={**self.env, **extra_env},
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.seen.append((" ".join(argv[1:]), done.stdout + done.stderr))
        return done.stdout + done.stderr, done.returncode

    def assert_no_secret(self) -> None:
        for command, text in self.seen:
            assert leaks(text) == [], f"`{command}` printed a password:\n{text}"
        for path in [*self.cwd.rglob("*.log"), *self.cwd.rglob("*.toml")]:
            assert leaks(path.read_text(errors="replace")) == [], f"{path} holds a password"


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.fixture
def stack(tmp_path: Path, redis_with_password: str, pg_url: str, supervisord_factory) -> Outputs:
    """Redis, PostgreSQL and an inet supervisord, each reached with a password."""
    sv_port = free_port()
    supervisord_factory(
        [Program("web", "sleep 300")],
        extra=f"[inet_http_server]\nport=127.0.0.1:{sv_port}\nusername=ops\npassword={SV_PW}\n",
    )
    pg_with_password = pg_url.replace("://postgres@", f"://postgres:{PG_PW}@")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "STACKWATCH_REDIS_URL": redis_with_password,
        "STACKWATCH_DATABASE_URL": f"{pg_with_password}?password={PG_QUERY_PW}",
        "STACKWATCH_SUPERVISOR_URL": f"web=http://ops:{SV_PW}@127.0.0.1:{sv_port}",
        "STACKWATCH_DATA_DIR": str(tmp_path / "data"),
        "STACKWATCH_HOST": "secret-test",
        # a receiver that is down: every delivery fails, and says why
        "STACKWATCH_ALERTS_NOTIFY": f"json://u:{ALERT_TOKEN}@127.0.0.1:{free_port()}/h/{ALERT_TOKEN}",
    }
    outputs = Outputs(env, tmp_path)
    outputs.run("db", "upgrade", code=0)
    return outputs


@pytest.mark.postgres
@pytest.mark.timeout(300)
def test_no_password_in_the_output_of_any_command(stack: Outputs) -> None:
    stack.run("db", "current", code=0)
    assert "***" in stack.run("config", code=0)
    stack.run("config", "--json", code=0)
    assert "web" in stack.run("status", code=0)
    stack.run("status", "--json", code=0)
    stack.run("restart", "web", "--yes", code=0)
    stack.run("logs", "web", "-n", "5", code=0)
    stack.run("collect", "--once")
    stack.run("queues")
    stack.run("doctor")
    stack.run("doctor", "--json")
    stack.run("worker", "--max-time", "1", "--workers", "1", code=0)
    stack.run("alerts")
    stack.run("alerts", "--json")
    assert "FAILED" in stack.run("alerts", "test", code=1)
    stack.run()  # the console without a terminal: its plain status
    stack.assert_no_secret()


@pytest.mark.postgres
@pytest.mark.timeout(300)
def test_no_password_when_starts_fail_or_the_console_crashes(stack: Outputs) -> None:
    down = f"postgresql+psycopg://postgres:{PG_PW}@127.0.0.1:1/x?password={PG_QUERY_PW}"
    # the worker starts with the database down (the cache side runs; rows catch up later)
    said = stack.run("worker", "--max-time", "2", code=0, STACKWATCH_DATABASE_URL=down)
    assert "store: database down since" in said
    stack.run("doctor", code=1, STACKWATCH_DATABASE_URL=down)
    stack.run("status", code=2, STACKWATCH_SUPERVISOR_URL=f"http://ops:{SV_PW}@127.0.0.1:1")
    bad = stack.env["STACKWATCH_REDIS_URL"].replace("127.0.0.1:", "[::1:")
    assert "STACKWATCH_REDIS_URL" in stack.run("config", code=2, STACKWATCH_REDIS_URL=bad)
    stack.run("doctor", code=2, STACKWATCH_REDIS_URL=bad)
    wrong = stack.env["STACKWATCH_REDIS_URL"].replace(REDIS_PW, REDIS_PW + "x")
    worker = [sys.executable, "-m", "console", "worker", "--max-time", "1", "--workers", "1"]
    assert "AuthenticationError" in stack.run_anyhow(worker, STACKWATCH_REDIS_URL=wrong)
    crash = stack.run_anyhow([sys.executable, "-c", CRASHING_APP])
    assert "RuntimeError: cannot use redis://:***@127.0.0.1" in crash
    assert "locals" not in crash  # Textual's own dump prints a locals panel per frame
    stack.assert_no_secret()
