"""Two fleet hosts (real supervisords, real workers) on one private Redis and one private
PostgreSQL database; the console under test is configured with no supervisord at all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from console.core.settings import Settings
from console.core.store.engine import make_engine, upgrade
from tests.support.fleet import FleetHost, chatty_program


@pytest.fixture
def fleet_db(pg_url: str) -> str:
    engine = make_engine(pg_url)
    upgrade(engine)
    engine.dispose()
    return pg_url


@pytest.fixture
def fleet_host(
    redis_url: str, fleet_db: str, tmp_path: Path, supervisord_factory
) -> Iterator[Callable[..., FleetHost]]:
    """Make a host: its supervisord (torn down by its factory) and its worker (stopped here,
    before the supervisords and Redis go)."""
    made: list[FleetHost] = []

    def make(name: str, read_only: bool = False, every: int = 1) -> FleetHost:
        sv = supervisord_factory([chatty_program(name)])
        host = FleetHost(name, sv, redis_url, fleet_db, tmp_path, read_only, every)
        made.append(host)
        return host.start_worker()

    yield make
    for host in made:
        host.stop_worker()


@pytest.fixture
def console_settings(redis_url: str, fleet_db: str, tmp_path: Path) -> Settings:
    """A console on a host of its own, no supervisord URL configured (the default request
    timeout: a loaded machine may take seconds to hand a request to a worker)."""
    return Settings(
        host="console-host",
        redis_url=redis_url,
        database_url=fleet_db,
        data_dir=str(tmp_path / "console-data"),
    )
