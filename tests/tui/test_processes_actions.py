"""Pilot tests of the processes screen against a real supervisord."""

from __future__ import annotations

import asyncio

import pytest

from console.core.settings import Settings, SupervisorEndpoint
from console.tui.app import make_app
from console.tui.screens.confirm import ConfirmScreen
from console.tui.screens.processes import ProcessesScreen
from console.tui.widgets.process_table import ProcessTable
from tests.support.supervisord import Program
from tests.support.waits import shown, until

SIZE = (160, 50)


def _settings(sv, tmp_path, **kw) -> Settings:
    return Settings(
        host="test",
        supervisors=(SupervisorEndpoint("local", sv.url),),
        data_dir=str(tmp_path / "data"),
        refresh_processes=1.0,
        **kw,
    )


async def open_processes(pilot) -> ProcessesScreen:
    await pilot.app.switch_mode("processes")
    screen = pilot.app.screen
    assert isinstance(screen, ProcessesScreen)
    await until(pilot, lambda: screen.query_one(ProcessTable).rows_shown)
    return screen


def select(screen: ProcessesScreen, key: str) -> None:
    table = screen.query_one(ProcessTable)
    keys = [r.key for r in table.rows_shown]
    table.move_cursor(row=keys.index(key), animate=False)


def pid(sv, name: str) -> int:
    return sv.rpc().supervisor.getProcessInfo(name)["pid"]


@pytest.fixture
def stack(supervisord_factory):
    sv = supervisord_factory([Program("web", "sleep 60"), Program("worker", "sleep 60")])
    sv.wait_for_state("web", {"RUNNING"})
    sv.wait_for_state("worker", {"RUNNING"})
    return sv


def test_restart_confirm_and_cancel(stack, tmp_path) -> None:
    asyncio.run(_restart_confirm_and_cancel(stack, tmp_path))


async def _restart_confirm_and_cancel(stack, tmp_path) -> None:
    app = make_app(_settings(stack, tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_processes(pilot)
        select(screen, "local/web:web")
        before = pid(stack, "web")
        await pilot.press("r")
        await until(pilot, lambda: shown(app, ConfirmScreen))
        assert app.focused.id == "cancel"  # Cancel has the focus
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        assert pid(stack, "web") == before
        await pilot.press("r")
        await until(pilot, lambda: shown(app, ConfirmScreen))
        await pilot.click("#confirm")
        await until(pilot, lambda: pid(stack, "web") != before and not screen.acting)
        log = "\n".join(str(line.text) for line in screen.query_one("#processes-log").lines)
        assert "supervisorctl restart web:web" in log and "RUNNING" in log


def run(coro_fn, *args) -> None:
    asyncio.run(coro_fn(*args))


def status_text(screen) -> str:
    return str(screen.query_one("#processes-status").render())


def log_text(screen) -> str:
    return "\n".join(str(line.text) for line in screen.query_one("#processes-log").lines)


async def confirm(pilot, times: int = 1) -> None:
    for _ in range(times):
        await until(pilot, lambda: shown(pilot.app, ConfirmScreen))
        await pilot.click("#confirm")
        await pilot.pause()


def test_read_only_hides_and_refuses_every_mutating_key(stack, tmp_path) -> None:
    async def body() -> None:
        app = make_app(_settings(stack, tmp_path, read_only=True))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_processes(pilot)
            select(screen, "local/web:web")
            before = pid(stack, "web")
            shown = {b.binding.action for b in app.active_bindings.values() if b.enabled}
            assert not shown & {"restart", "stop", "start", "signal", "clear_logs", "update"}
            for key in "rsxhikcuR":
                await pilot.press(key)
                await pilot.pause()
                assert app.screen is screen  # no confirmation ever opens
            assert pid(stack, "web") == before
            assert "read-only" in log_text(screen)

    run(body)


def test_group_restart_asks_twice_and_stop_start_signal_clear(stack, tmp_path) -> None:
    async def body() -> None:
        app = make_app(_settings(stack, tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_processes(pilot)
            before = pid(stack, "worker")
            await pilot.press("g", "g")  # scope: program -> group -> all
            assert screen.scope == "all"
            await pilot.press("r")
            await confirm(pilot)
            await until(pilot, lambda: shown(app, ConfirmScreen))  # asked again
            await pilot.click("#confirm")
            await until(pilot, lambda: pid(stack, "worker") != before and not screen.acting)
            await pilot.press("g")  # back to program scope
            select(screen, "local/worker:worker")
            await pilot.press("x")
            await confirm(pilot)
            await until(
                pilot,
                lambda: stack.rpc().supervisor.getProcessInfo("worker")["statename"] == "STOPPED",
            )
            await until(pilot, lambda: not screen.acting)
            await pilot.press("s")  # starting one program needs no confirmation
            await until(
                pilot,
                lambda: stack.rpc().supervisor.getProcessInfo("worker")["statename"] == "RUNNING",
            )
            await until(pilot, lambda: not screen.acting)
            await pilot.press("c")
            await confirm(pilot)
            await until(pilot, lambda: "supervisorctl clear worker:worker" in log_text(screen))
            await until(pilot, lambda: not screen.acting)
            await pilot.press("k")
            await until(pilot, lambda: app.screen.__class__.__name__ == "SignalScreen")
            await pilot.press("enter")  # HUP, the first choice
            await confirm(pilot)
            await until(pilot, lambda: "supervisorctl signal HUP worker:worker" in log_text(screen))

    run(body)


def test_failures_are_shown_as_failures(supervisord_factory, tmp_path) -> None:
    crash = "sh -c 'sleep 0.3; exit 3'"
    group = "\n[group:pool]\nprograms=a,b,c\n"
    sv = supervisord_factory(
        [
            Program("a", "sleep 60"),
            Program("b", crash, {"startsecs": "3", "startretries": "0"}),  # fails even when slow
            Program("c", "sleep 60"),
        ],
        group,
    )
    sv.wait_for_state("pool:b", {"FATAL"})
    c_pid = sv.wait_for_state("pool:c", {"RUNNING"})["pid"]

    async def body() -> None:
        app = make_app(_settings(sv, tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_processes(pilot)
            row = next(r for r in screen.query_one(ProcessTable).rows_shown if r.key.endswith("b"))
            assert row.kind == "failed" and row.cells[1] == "FATAL"
            select(screen, "local/pool:b")
            await pilot.press("r")  # restart of a FATAL program: fails again, says so
            await confirm(pilot)
            await until(
                pilot,
                lambda: "exited before startsecs" in log_text(screen),
                lambda: f"the failure in the log: {log_text(screen)!r}",
            )
            assert "FAIL" in log_text(screen)
            select(screen, "local/pool:a")
            await until(pilot, lambda: not screen.acting)
            await pilot.press("R")  # rolling restart of the group stops at b
            await confirm(pilot, times=2)
            await until(
                pilot, lambda: "skipped: rolling restart stopped at pool:b" in log_text(screen)
            )
            assert pid(sv, "pool:c") == c_pid

    run(body)


def test_hung_supervisord_is_a_state_and_keys_still_answer(stack, tmp_path) -> None:
    import signal as signals

    async def body() -> None:
        app = make_app(_settings(stack, tmp_path, rpc_timeout=0.3))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_processes(pilot)
            stack.signal(signals.SIGSTOP)
            try:
                await until(pilot, lambda: "DOWN (deadline)" in status_text(screen))
                await pilot.press("g")
                assert screen.scope == "group"  # the event loop never waited on the RPC
                assert screen.query_one(ProcessTable).rows_shown  # last known rows kept
            finally:
                stack.signal(signals.SIGCONT)
            await until(pilot, lambda: "local: 2/2 running" in status_text(screen))

    run(body)


def test_missing_socket_is_a_state(tmp_path) -> None:
    async def body() -> None:
        settings = Settings(
            host="t",
            supervisors=(SupervisorEndpoint("gone", f"unix://{tmp_path}/none.sock"),),
            data_dir=str(tmp_path),
        )
        app = make_app(settings)
        async with app.run_test(size=SIZE) as pilot:
            await app.switch_mode("processes")
            screen = app.screen
            await until(pilot, lambda: "no such socket" in status_text(screen))

    run(body)


def test_filter_and_fold(stack, tmp_path) -> None:
    async def body() -> None:
        app = make_app(_settings(stack, tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_processes(pilot)
            table = screen.query_one(ProcessTable)
            await pilot.press("slash", "w", "e", "b", "enter")
            await until(
                pilot,
                lambda: [r.key for r in table.rows_shown] == ["group:local/web", "local/web:web"],
            )
            select(screen, "group:local/web")
            await pilot.press("space")
            assert [r.key for r in table.rows_shown] == ["group:local/web"]
            await pilot.press("escape")
            await until(pilot, lambda: len(table.rows_shown) == 3)

    run(body)
