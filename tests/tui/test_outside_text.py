"""Outside text is shown, never obeyed: a walk over every place the console displays a string
it did not write (host, program, queue and task names, log lines and sources, exception
text) in the palette, notifications, titles, tables, tabs and dialogs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from console.core.feeds.processes import ProcessesView
from console.core.settings import LogFileSpec
from console.core.store.audit import AuditEntry
from console.core.supervisor.models import EndpointStatus, ProcessesSnapshot, ProcessInfo
from console.tui.app import make_app
from console.tui.screens.audit import AuditScreen
from console.tui.screens.confirm import ConfirmScreen
from console.tui.screens.process_signal import SignalScreen
from console.tui.screens.traceback import TracebackScreen
from console.tui.widgets.log_source_picker import LogSourcePicker
from console.tui.widgets.process_table import ProcessTable
from console.tui.widgets.queue_failures import FailureTable
from tests.support.screen import actionable, screen_text
from tests.support.waits import shown, sync, until
from tests.tui import dash_data
from tests.tui.queues_fixed import fixed_app as queues_app

BOOM = "[@click=app.quit]boom[/]"
TITLE = "\x1b]0;x\x07"
HOSTILE = f"{BOOM}{TITLE}"
SHOWN = "[@click=app.quit]boom[/]\\x1b]0;x\\x07"  # literal, the escapes made visible
SIZE = (200, 50)


def _shown_literally(app) -> None:
    text = screen_text(app)
    assert SHOWN in text, "the hostile string is not shown as written"
    assert "\x1b" not in text and "\x07" not in text
    assert not [t for t in actionable(app) if "boom" in t], "a click on outside text would act"
    assert app.is_running


class HostileDashboard(dash_data.FixedDashboard):
    def __init__(self) -> None:
        super().__init__(queue_names=("default", HOSTILE))

    def read_cache(self, host, as_of=None):
        reading = super().read_cache(host, as_of)
        return replace(reading, hosts=(host, HOSTILE))


@sync
async def test_hosts_and_queue_names_in_palette_header_and_dashboard() -> None:
    settings = dash_data.settings()
    app = make_app(settings, dash_data.feeds(settings, HostileDashboard()), clock=dash_data.clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: SHOWN in screen_text(app), "the queue name on the dashboard")
        _shown_literally(app)
        await pilot.press("ctrl+p", *"Host: ")
        await until(pilot, lambda: f"Host: {SHOWN}" in screen_text(app), "the host in the palette")
        _shown_literally(app)
        await pilot.press(*"boom", "enter")
        await until(pilot, lambda: app.model.host == HOSTILE, "the host to switch")
        await until(pilot, lambda: SHOWN in screen_text(app), "the host in the header")
        _shown_literally(app)


def hostile_view() -> ProcessesView:
    raw = {"group": "hostile", "name": HOSTILE, "statename": "RUNNING", "state": 20, "pid": 7}
    raw.update(start=dash_data.NOW - 5, now=dash_data.NOW, description=HOSTILE)
    process = ProcessInfo.from_rpc("main", raw)
    endpoint = EndpointStatus("main", "unix:///nonexistent/supervisor.sock")
    return ProcessesView(ProcessesSnapshot(dash_data.HOST, dash_data.NOW, (process,), (endpoint,)))


class HostileProcesses:
    """Fixed processes (one named HOSTILE), a hostile audit log, a first poll that raises."""

    def __init__(self) -> None:
        self.polls = 0

    def poll(self, host, as_of=None):
        self.polls += 1
        if self.polls == 1:
            raise RuntimeError(HOSTILE)
        return hostile_view()

    def audit_entries(self, limit=200):
        return [AuditEntry(dash_data.NOW, HOSTILE, HOSTILE, "restart", HOSTILE, HOSTILE, "ok")]

    def close(self) -> None:
        return None


@sync
async def test_program_names_exception_text_and_audit_in_tables_and_dialogs() -> None:
    settings = dash_data.settings()
    steady = dash_data.steady(settings)
    steady["feeds"] = replace(steady["feeds"], processes=HostileProcesses())
    app = make_app(settings, **steady)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await app.switch_mode("processes")
        screen = app.screen
        table = screen.query_one(ProcessTable)
        await until(pilot, lambda: table.rows_shown, "the processes")
        await pilot.press("exclamation_mark")  # the first poll's exception
        await until(pilot, lambda: shown(app, TracebackScreen), "the traceback")
        _shown_literally(app)
        await pilot.press("escape")
        keys = [r.key for r in table.rows_shown]
        table.move_cursor(row=next(i for i, k in enumerate(keys) if "boom" in k), animate=False)
        _shown_literally(app)
        for key, modal in (("r", ConfirmScreen), ("k", SignalScreen), ("a", AuditScreen)):
            await pilot.press(key)
            await until(pilot, lambda modal=modal: shown(app, modal), modal.__name__)
            _shown_literally(app)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen, "the modal to close")


@sync
async def test_task_names_and_exceptions_in_queue_tables_tabs_and_traceback() -> None:
    app = queues_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.screen.view is not None, "the queues")
        app.screen.query_one("#queue-tabs").active = "failed"
        await until(pilot, lambda: "[bold red]boom[/]" in screen_text(app), "a hostile failure")
        assert not [t for t in actionable(app) if "boom" in t]
        failures = app.screen.query_one(FailureTable)
        failures.focus()
        failures.move_cursor(row=failures.row_count - 1, animate=False)  # the hostile one
        await pilot.press("t")
        await until(pilot, lambda: shown(app, TracebackScreen), "the traceback")
        await until(pilot, lambda: "[bold red]boom[/]" in screen_text(app), "the modal on screen")
        assert not [t for t in actionable(app) if "boom" in t] and app.is_running


@sync
async def test_log_lines_and_log_sources_in_the_pane_and_the_picker(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(f"line {HOSTILE}\n")
    settings = dash_data.settings(log_files=(LogFileSpec(HOSTILE, str(log)),), supervisors=())
    app = make_app(settings, **dash_data.steady(settings))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await app.switch_mode("logs")
        await until(pilot, lambda: f"line {SHOWN}" in screen_text(app), "the hostile line")
        _shown_literally(app)
        await pilot.press("s")
        await until(pilot, lambda: shown(app, LogSourcePicker), "the picker")
        await until(pilot, lambda: SHOWN in screen_text(app).split("Show which log?")[-1], "name")
        _shown_literally(app)
