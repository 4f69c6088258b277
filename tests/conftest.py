"""Shared fixtures: a private redis-server (pytest-redis), a private database on the local
PostgreSQL server (pytest-postgresql), and a private supervisord (tests/support).

When CI is set, a missing service fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_postgresql import factories as pg_factories
from pytest_redis import factories as redis_factories

from tests.support.supervisord import Program, Supervisord

IN_CI = bool(os.environ.get("CI"))
PG_HOST = os.environ.get("STACKWATCH_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("STACKWATCH_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("STACKWATCH_TEST_PG_USER", "postgres")


def missing_service(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where every service must be there."""
    if IN_CI:
        pytest.fail(f"service missing in CI: {reason}")
    pytest.skip(reason)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


redis_proc = redis_factories.redis_proc(port=None)
redisdb = redis_factories.redisdb("redis_proc")

# A database name of its own per test session: parallel sessions on one server never collide,
# and a template left behind by a killed run never blocks the next one.
postgresql_noproc = pg_factories.postgresql_noproc(
    host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=f"stackwatch_test_{uuid.uuid4().hex[:10]}"
)
postgresql = pg_factories.postgresql("postgresql_noproc")


@pytest.fixture
def redis_url(request: pytest.FixtureRequest) -> str:
    """URL of a private redis-server, emptied after each test."""
    if not shutil.which("redis-server"):
        missing_service("redis-server is not installed")
    request.getfixturevalue("redisdb")  # flushes the database after the test
    proc = request.getfixturevalue("redis_proc")
    return f"redis://{proc.host}:{proc.port}/0"


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """URL of a fresh database on the PostgreSQL server, dropped after the test."""
    if not _port_open(PG_HOST, PG_PORT):
        missing_service(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT}")
    connection = request.getfixturevalue("postgresql")
    info = connection.info
    return f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{info.dbname}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'stackwatch.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return request.getfixturevalue(name)


@pytest.fixture
def supervisord_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Start a private supervisord with the given programs; all are stopped after the test."""
    started: list[Supervisord] = []

    def start(programs: list[Program], extra: str = "") -> Supervisord:
        # Unix socket paths are limited to ~100 bytes: keep the root short.
        root = Path(tmp_path_factory.mktemp("sv", numbered=True))
        instance = Supervisord(root, programs, extra).start()
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.stop()


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own config, data dir or STACKWATCH_* variables."""
    for name in list(os.environ):
        if name.startswith("STACKWATCH_") and not name.startswith("STACKWATCH_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.chdir(tmp_path)
