"""The processes screen: every program of every supervisord, folded by group, filtered, with
the actions of `ProcessActionsScreen` on the selection."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static

from console.core.supervisor.models import ProcessInfo
from console.core.supervisor.targets import SCOPES, Selection
from console.tui.cursor import settled
from console.tui.screens.audit import AuditScreen
from console.tui.screens.process_actions import ProcessActionsScreen
from console.tui.screens.process_events import (
    EventsArrived,
    events_notes,
    follow_events,
    open_transitions,
)
from console.tui.text import outside
from console.tui.widgets.header_bar import HeaderBar
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.process_action_log import ProcessActionLog
from console.tui.widgets.process_rows import build_rows
from console.tui.widgets.process_status import status_line
from console.tui.widgets.process_table import ProcessTable


class ProcessesScreen(ProcessActionsScreen):
    """Reads `self.app.feeds.processes` for the app's host; all RPC and SQL run in thread
    workers."""

    CSS_PATH = "processes.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "scope", "Scope", id="processes.scope"),
        Binding("space", "toggle_group", "Fold", id="processes.fold"),
        Binding("o", "open_logs", "Logs", id="processes.logs"),
        Binding("a", "audit", "Audit", id="processes.audit"),
        Binding("t", "transitions", "Events", id="processes.transitions"),
        Binding("slash", "filter", "Filter", id="processes.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="processes.clear", show=False),
    ]
    scope: reactive[str] = reactive("program")  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.collapsed: set[str] = set()
        self.text_filter = ""
        self._last: dict[str, tuple[ProcessInfo, ...]] = {}  # last known per endpoint
        self._around_at: float | None = None  # the cursor time whose events the log shows

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(Text("Connecting…"), id="processes-status")
        yield ProcessTable(id="processes-table")
        yield ProcessActionLog(id="processes-log")
        yield Input(placeholder="filter programs (Esc clears)", id="processes-filter")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.service = self.app.feeds.processes  # type: ignore[attr-defined]
        if self.app.settings.read_only:  # type: ignore[attr-defined]
            self.action_log.note("read-only: actions are disabled", "warn")
        self.table.focus()
        follow_events(self)  # a state change shows within a second, not at the next poll

    @property
    def table(self) -> ProcessTable:
        return self.query_one(ProcessTable)

    # --- polling -------------------------------------------------------------------------

    def poll_interval(self) -> float:
        return max(1.0, min(self.app.settings.refresh_processes, 2.0))  # type: ignore[attr-defined]

    def fetch(self) -> Any:
        at = self.app.cursor  # type: ignore[attr-defined]
        if at is not None and self.view is not None and self.view.as_of == at:
            if settled(at, self.app.clock()):  # type: ignore[attr-defined]
                return self.view  # a settled past does not change: no need to ask again
        return self.service.poll(self.app.model.host, as_of=at)  # type: ignore[attr-defined]

    def show(self, view: Any) -> None:
        """Render a ProcessesView; an unreachable endpoint keeps its last known processes."""
        self.view = view
        snapshot = view.snapshot
        processes: list[ProcessInfo] = []
        for status in snapshot.endpoints:
            current = tuple(p for p in snapshot.processes if p.endpoint == status.name)
            if status.ok:
                self._last[status.name] = current
            fresh = status.ok or status.kind == "stale"  # a worker's last list: still shown
            processes.extend(current if fresh else self._last.get(status.name, ()))
        several = len(snapshot.endpoints) > 1
        rows = build_rows(processes, view.restarts, self.collapsed, self.text_filter, several)
        self.table.show_rows(rows)
        self._show_status()
        if view.as_of is not None and view.as_of != self._around_at:
            self._around_at = view.as_of
            show_around(self.action_log, view, self.app.tz)  # type: ignore[attr-defined]

    def _show_status(self) -> None:
        if self.view is None:
            return
        status = self.query_one("#processes-status", Static)
        line = "  ·  ".join(
            [status_line(self.view, self.scope, self.text_filter), *events_notes(self.view)]
        )
        status.update(outside(line, 2000))
        status.set_class(not self.view.snapshot.reachable, "-down")

    def watch_scope(self) -> None:
        self._show_status()

    def selection(self) -> Selection | None:
        row = self.table.current_row()
        return None if row is None else Selection(row.endpoint, row.target, row.kind)

    # --- navigation ----------------------------------------------------------------------

    def action_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]

    def action_toggle_group(self) -> None:
        row = self.table.current_row()
        if row is None:
            return
        key = row.key if row.kind == "group" else f"group:{row.endpoint}/{row.target.split(':')[0]}"
        self.collapsed.symmetric_difference_update({key})
        if self.view is not None:
            self.show(self.view)

    @on(DataTable.RowSelected, "#processes-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        row = self.table.current_row()
        if row is not None and row.kind == "group":
            self.action_toggle_group()
        elif row is not None:
            self.action_transitions()

    def action_transitions(self) -> None:
        open_transitions(self)

    def on_events_arrived(self, message: EventsArrived) -> None:
        self.poll_soon()

    def on_key(self) -> None:
        """The user is here: back to a poll every refresh (the feed backs off when idle)."""
        self._poke()

    def poll_soon(self) -> None:
        """An action, events or the cursor: ask supervisord itself, not the aged rows."""
        self._poke()
        super().poll_soon()

    def _poke(self) -> None:
        poke = getattr(getattr(self, "service", None), "poke", None)
        if poke is not None:
            poke(self.app.model.host)  # type: ignore[attr-defined]

    async def action_open_logs(self) -> None:
        row = self.table.current_row()
        if row is None or row.kind == "group":
            self.notify("select a program first", severity="warning", markup=False)
            return
        await self.app.switch_mode("logs")
        show = getattr(self.app.screen, "show_program", None)
        if callable(show):
            show(row.endpoint, row.target)

    def action_filter(self) -> None:
        box = self.query_one("#processes-filter", Input)
        box.add_class("-visible")
        box.focus()

    @on(Input.Changed, "#processes-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value
        if self.view is not None:
            self.show(self.view)

    @on(Input.Submitted, "#processes-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#processes-filter", Input)
        box.value = ""
        box.remove_class("-visible")
        self.table.focus()

    def action_audit(self) -> None:
        self.run_blocking(
            self.service.audit_entries, lambda e: self.app.push_screen(AuditScreen(e))
        )


def show_around(log: ProcessActionLog, view: Any, tz: Any) -> None:
    """The stored events around the time cursor, in the action log (`>`: at or after it)."""
    from console.core.events.show import line

    at = view.as_of
    when = dt.datetime.fromtimestamp(at, tz).strftime("%Y-%m-%d %H:%M:%S")
    log.note(f"events around {when}:", "command")
    if not view.around:
        log.note("  none stored", "info")
    for event in view.around:
        log.note(f"{'>' if event.ts >= at else ' '} {line(event, tz)}", "info")
