"""The Processes screen's transitions panel (Enter or `t`) and its note on the event listener."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from textual.widgets import Static

from console.core.events.model import ProcessEvent
from console.core.events.timeline import Transitions
from console.core.settings import Settings, SupervisorEndpoint
from console.tui.app import make_app
from console.tui.screens.transitions import TransitionsScreen
from console.tui.widgets.process_table import ProcessTable
from console.tui.widgets.transition_table import TransitionTable
from tests.tui import dash_data
from tests.tui.test_processes_snapshots import HOSTILE, NOW, fixed_view


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """Times are shown in local time: pin it, so snapshots match on any machine."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def crash_loop() -> tuple[ProcessEvent, ...]:
    """queue_01 crash-looping into FATAL, newest first, as the timeline hands it over."""
    events, ts = [], NOW - 60.0
    for n in range(3):
        start = "STOPPED" if n == 0 else "BACKOFF"
        events.append(
            ProcessEvent(
                ts, "local", "process", "queue:queue_01", "STARTING", start, stream_id=f"{n}-1"
            )
        )
        events.append(
            ProcessEvent(
                ts + 0.2,
                "local",
                "process",
                "queue:queue_01",
                "BACKOFF",
                "STARTING",
                exitstatus=3,
                detail="exit status 3",
                stream_id=f"{n}-2",
            )
        )
        ts += n + 1.5
    events.append(
        ProcessEvent(ts, "local", "process", "queue:queue_01", "FATAL", "BACKOFF", stream_id="9-0")
    )
    events.append(
        ProcessEvent(
            ts + 1,
            "local",
            "process",
            "queue:queue_01",
            "EXITED",
            "RUNNING",
            pid=77,
            expected=False,
            exitstatus=-1,
            detail=f"terminated by SIGKILL {HOSTILE}",
        )
    )
    return tuple(reversed(events))


class EventsService:
    """A processes feed on fixed data; the listener runs on `local`."""

    def __init__(self) -> None:
        view = fixed_view()
        self.view = type(view)(view.snapshot, view.restarts, "", {"local": "RUNNING"})
        self.asked: list[tuple[str, str]] = []

    def poll(self, host: str, as_of: float | None = None):
        return self.view

    def transitions(self, endpoint: str, program: str, host: str | None = None) -> Transitions:
        self.asked.append((endpoint, program))
        return Transitions(endpoint, program, crash_loop())

    def close(self) -> None:
        return None


class PollsOnlyService(EventsService):
    def __init__(self) -> None:
        super().__init__()
        self.view = type(self.view)(self.view.snapshot, {}, "", {"local": None})


def app_with(monkeypatch, tmp_path, service):
    settings = Settings(
        host="snap",
        supervisors=(SupervisorEndpoint("local", "unix:///run/sv.sock"),),
        data_dir=str(tmp_path),
    )
    steady = dash_data.steady(settings)
    steady["feeds"] = replace(steady["feeds"], processes=service())
    return make_app(settings, **steady)


async def _on_queue_01(pilot) -> None:
    await pilot.app.switch_mode("processes")
    for _ in range(1000):  # up to 20 s on a loaded machine
        table = pilot.app.screen.query_one(ProcessTable)
        keys = [r.key for r in table.rows_shown]
        if "local/queue:queue_01" in keys:
            table.move_cursor(row=keys.index("local/queue:queue_01"))
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def _open(pilot) -> None:
    await _on_queue_01(pilot)
    await pilot.press("enter")
    for _ in range(1000):  # up to 20 s on a loaded machine
        screen = pilot.app.screen
        if isinstance(screen, TransitionsScreen) and screen.transitions is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause()


def test_enter_opens_the_programs_transitions(monkeypatch, tmp_path) -> None:
    app = app_with(monkeypatch, tmp_path, EventsService)

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await _open(pilot)
            table = pilot.app.screen.query_one(TransitionTable)
            rows = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
            assert [r[1] for r in rows].count("STOPPED → STARTING") == 1
            assert [r[1] for r in rows].count("BACKOFF → STARTING") == 2
            assert rows[1][1] == "BACKOFF → FATAL"
            assert {r[3] for r in rows if r[1] == "STARTING → BACKOFF"} == {"exit 3"}
            assert rows[0][3].startswith("SIGKILL [bold]evil")  # literal, never markup
            assert rows[0][4] == "NO" and rows[0][5] == "poll"
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(pilot.app.screen, TransitionsScreen)
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(pilot.app.screen, TransitionsScreen)

    asyncio.run(body())


def test_the_screen_says_when_there_is_no_listener(monkeypatch, tmp_path) -> None:
    app = app_with(monkeypatch, tmp_path, PollsOnlyService)

    async def body() -> None:
        async with app.run_test(size=(200, 40)) as pilot:
            await _on_queue_01(pilot)
            status = pilot.app.screen.query_one("#processes-status", Static)
            assert "local: no event listener, polling (see doctor)" in str(status.render())
            await _open(pilot)
            note = pilot.app.screen.query_one("#transitions-note", Static)
            assert "does not run here" in str(note.render())

    asyncio.run(body())


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_transitions_snapshot(snap_compare, monkeypatch, tmp_path, size) -> None:
    app = app_with(monkeypatch, tmp_path, EventsService)
    assert snap_compare(app, terminal_size=size, run_before=_open)
