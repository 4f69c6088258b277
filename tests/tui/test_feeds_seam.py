"""The console's seam against real services: every screen reads through the app's feeds,
which share one set of connections, and the host chosen in the console applies everywhere."""

from __future__ import annotations

from pathlib import Path

from console.core.settings import Settings, SupervisorEndpoint
from console.core.store.engine import make_engine, upgrade
from console.tui.app import make_app
from tests.support.supervisord import Program
from tests.support.waits import sync, until

SCREENS = ("dashboard", "processes", "queues", "logs")


def _settings(redis_url: str, tmp_path: Path, **values: object) -> Settings:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(make_engine(url))
    return Settings(
        host="web-1", redis_url=redis_url, database_url=url, data_dir=str(tmp_path), **values
    )


def test_every_screen_shares_one_engine_one_redis_client(
    redis_url, supervisord_factory, tmp_path
) -> None:
    sv = supervisord_factory([Program("web", "sleep 60")])
    settings = _settings(redis_url, tmp_path, supervisors=(SupervisorEndpoint("main", sv.url),))

    @sync
    async def visit() -> None:
        app = make_app(settings)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: app.model.history is not None, "the dashboard's store read")
            for mode in SCREENS[1:]:
                await app.switch_mode(mode)
                screen = app.screen
                read = (
                    (lambda s=screen: getattr(s, "view", None))
                    if mode != "logs"
                    else (lambda s=screen: s.sources)
                )
                await until(pilot, read, f"the {mode} screen's first read")
            counts = app.feeds.connections.counts()
        assert counts == {"redis_clients": 1, "engines": 1, "supervisor_clients": 1}

    visit()


def test_the_host_chosen_applies_to_the_queues_screen(redis_url, tmp_path) -> None:
    settings = _settings(redis_url, tmp_path)

    @sync
    async def switch() -> None:
        app = make_app(settings)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.switch_mode("queues")
            screen = app.screen
            await until(pilot, lambda: screen.view is not None and screen.view.host == "web-1")
            app.select_host("web-2")
            await until(pilot, lambda: screen.view.host == "web-2", "the queues of web-2")

    switch()
