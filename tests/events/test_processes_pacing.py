"""The Processes screen asks supervisord less when nothing changes, and still shows changes.

supervisord is real; the only stand-in is a wrapper of the client the feed is given, counting
its `getAllProcessInfo` calls (the load the issue measures).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from console.core.feeds import build_feeds
from console.core.feeds.connections import Connections
from console.core.feeds.processes_live import LiveProcesses
from console.core.settings import Settings, SupervisorEndpoint
from console.tui.app import make_app
from console.tui.screens.processes import ProcessesScreen
from console.tui.widgets.process_table import ProcessTable
from tests.events.helpers import HOST, start_with_listener
from tests.support.supervisord import Program
from tests.support.waits import until, wait_until

REFRESH = 0.3


class CountingClient:
    """The real client, counting the full process-list calls."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.full_polls = 0

    def read_processes(self) -> Any:
        self.full_polls += 1
        return self._client.read_processes()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


class CountingConnections(Connections):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.counted: dict[str, CountingClient] = {}

    def supervisor(self, endpoint: SupervisorEndpoint) -> Any:
        if endpoint.name not in self.counted:
            self.counted[endpoint.name] = CountingClient(super().supervisor(endpoint))
        return self.counted[endpoint.name]

    def full_polls(self) -> int:
        return sum(c.full_polls for c in self.counted.values())


def _settings(sv, tmp_path: Path, **kw: Any) -> Settings:
    return Settings(
        host=HOST,
        supervisors=(SupervisorEndpoint("default", sv.url),),
        data_dir=str(tmp_path / "data"),
        refresh_processes=REFRESH,
        **kw,
    )


def _state(view, name: str) -> str:
    return next((p.statename for p in view.snapshot.processes if p.name == name), "")


def test_unchanged_polls_back_off_and_a_change_or_a_key_snaps_back(
    supervisord_factory, tmp_path: Path
) -> None:
    sv = supervisord_factory([Program("web", "sleep 600"), Program("worker", "sleep 600")])
    sv.wait_for_state("worker", {"RUNNING"})
    connections = CountingConnections(_settings(sv, tmp_path))
    feed = LiveProcesses(connections)
    try:
        ticks = 12
        for _ in range(ticks):  # the screen's timer, one refresh apart
            view = feed.poll(HOST)
            time.sleep(REFRESH)
        assert _state(view, "web") == "RUNNING"
        assert connections.full_polls() <= ticks // 2  # every refresh: 12
        up = [p.uptime for p in view.snapshot.processes]
        time.sleep(1.1)
        later = feed.poll(HOST)
        assert all(
            u2 > u1 for u1, u2 in zip(up, [p.uptime for p in later.snapshot.processes], strict=True)
        )

        sv.rpc().supervisor.stopProcess("web")  # no listener: the backed-off polls find it
        wait_until(lambda: _state(feed.poll(HOST), "web") == "STOPPED", "web shown stopped")

        before = connections.full_polls()
        feed.poke(HOST)  # a key: the next tick asks supervisord
        feed.poll(HOST)
        assert connections.full_polls() == before + 1
    finally:
        feed.close()
        connections.close()


@pytest.mark.slow
def test_with_the_listener_the_screen_polls_seldom_and_shows_a_stop(
    redis_url: str, supervisord_factory, tmp_path: Path
) -> None:
    sv = start_with_listener(
        supervisord_factory,
        tmp_path,
        [Program("web", "sleep 600"), Program("worker", "sleep 600")],
        {"STACKWATCH_REDIS_URL": redis_url},
    )
    sv.wait_for_state("worker", {"RUNNING"})
    settings = replace(_settings(sv, tmp_path, redis_url=redis_url), refresh_processes=1.0)
    connections = CountingConnections(settings)
    feeds = replace(build_feeds(settings), processes=LiveProcesses(connections))
    asyncio.run(_listener_screen(sv, make_app(settings, feeds), connections))


async def _listener_screen(sv, app, connections: CountingConnections) -> None:
    async with app.run_test(size=(160, 50)) as pilot:
        await app.switch_mode("processes")
        screen = app.screen
        assert isinstance(screen, ProcessesScreen)
        table = screen.query_one(ProcessTable)

        def state_of(name: str) -> str:
            row = next((r for r in table.rows_shown if r.target.endswith(f":{name}")), None)
            return row.cells[1] if row is not None else ""

        await until(pilot, lambda: state_of("web") == "RUNNING", "web shown running")
        await until(pilot, lambda: screen.view.listeners == {"default": "RUNNING"}, "listener")
        before, began = connections.full_polls(), time.monotonic()
        await pilot.pause(6.0)  # 6 refreshes with nothing happening
        ticks = (time.monotonic() - began) / screen.poll_interval()
        assert connections.full_polls() - before <= ticks / 2  # every refresh: 6

        sv.rpc().supervisor.stopProcess("web")  # the event, not the safety poll, shows it
        await until(pilot, lambda: state_of("web") == "STOPPED", "web shown stopped")
