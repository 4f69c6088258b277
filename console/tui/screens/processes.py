"""The processes screen: every program of every supervisord, and the actions on them."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from console.core.supervisor.models import ActionResult, ConfigDiff, ProcessInfo
from console.tui.screens.audit import AuditScreen
from console.tui.screens.confirm import ConfirmScreen
from console.tui.screens.process_plan import Plan, plan_action
from console.tui.screens.process_signal import SignalScreen
from console.tui.widgets.header_bar import HeaderBar
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.process_action_log import ProcessActionLog
from console.tui.widgets.process_rows import build_rows
from console.tui.widgets.process_table import ProcessTable

# Actions that change anything: hidden and refused in read-only mode (the client refuses too).
MUTATING = frozenset(
    {
        "start",
        "stop",
        "restart",
        "rolling_restart",
        "graceful_restart",
        "graceful_stop",
        "signal",
        "clear_logs",
        "update",
    }
)
SCOPES = ("program", "group", "all")


def _make_service(settings: Any) -> Any:
    from console.core.supervisor.service import ProcessService  # xmlrpc/psutil: core only

    return ProcessService(settings)


class Polled(Message):
    """A poll finished (view is None when it failed unexpectedly)."""

    def __init__(self, view: Any) -> None:
        super().__init__()
        self.view = view

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Polled)


class ActionDone(Message):
    def __init__(self, results: list[ActionResult]) -> None:
        super().__init__()
        self.results = results


class Reread(Message):
    def __init__(self, endpoint: str, answer: ConfigDiff | ActionResult) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.answer = answer


class AuditLoaded(Message):
    def __init__(self, entries: Any) -> None:
        super().__init__()
        self.entries = entries


class ProcessesScreen(Screen):
    """Reads `self.app.settings`; all RPC and SQL run in thread workers via the service."""

    CSS_PATH = "processes.tcss"
    service_factory = staticmethod(_make_service)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start", id="processes.start"),
        Binding("x", "stop", "Stop", id="processes.stop"),
        Binding("r", "restart", "Restart", id="processes.restart"),
        Binding("R", "rolling_restart", "Rolling", id="processes.rolling_restart"),
        Binding("h", "graceful_restart", "HUP", id="processes.hup"),
        Binding("i", "graceful_stop", "INT", id="processes.int"),
        Binding("k", "signal", "Signal", id="processes.signal"),
        Binding("c", "clear_logs", "Clear logs", id="processes.clear_logs"),
        Binding("u", "update", "Reread/update", id="processes.update"),
        Binding("g", "scope", "Scope", id="processes.scope"),
        Binding("space", "toggle_group", "Fold", id="processes.fold"),
        Binding("o", "open_logs", "Logs", id="processes.logs"),
        Binding("a", "audit", "Audit", id="processes.audit"),
        Binding("slash", "filter", "Filter", id="processes.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="processes.clear", show=False),
    ]
    scope: reactive[str] = reactive("program")

    def __init__(self) -> None:
        super().__init__()
        self.service: Any = None
        self.view: Any = None
        self.collapsed: set[str] = set()
        self.text_filter = ""
        self._polling = False
        self._acting = False
        self._last: dict[str, tuple[ProcessInfo, ...]] = {}

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(Text("Connecting…"), id="processes-status")
        yield ProcessTable(id="processes-table")
        yield ProcessActionLog(id="processes-log")
        yield Input(placeholder="filter programs (Esc clears)", id="processes-filter")
        yield KeyFooter()

    def on_mount(self) -> None:
        settings = self.app.settings
        self.service = self.service_factory(settings)
        if settings.read_only:
            self.query_one(ProcessActionLog).note("read-only: actions are disabled", "warn")
        self.query_one(ProcessTable).focus()
        self.poll_now()
        self.set_interval(max(1.0, min(settings.refresh_processes, 2.0)), self.poll_now)

    def on_unmount(self) -> None:
        if self.service is not None:
            self.service.close()

    # --- polling -------------------------------------------------------------------------------

    def poll_now(self) -> None:
        """Start a poll unless one is running or a modal covers the screen."""
        if self._polling or not self.is_current or self.service is None:
            return
        self._polling = True
        self._poll()

    @work(thread=True, exclusive=True, group="processes-poll")
    def _poll(self) -> None:
        view = None
        try:
            view = self.service.poll()
        finally:
            self.post_message(Polled(view))

    def on_polled(self, message: Polled) -> None:
        self._polling = False
        if message.view is not None:
            self.show_view(message.view)

    def show_view(self, view: Any) -> None:
        """Render a ProcessesView (public so tests can hand fixed data)."""
        self.view = view
        snapshot = view.snapshot
        processes: list[ProcessInfo] = []
        for status in snapshot.endpoints:
            current = tuple(p for p in snapshot.processes if p.endpoint == status.name)
            if status.ok:
                self._last[status.name] = current
            processes.extend(current if status.ok else self._last.get(status.name, ()))
        several = len(snapshot.endpoints) > 1
        rows = build_rows(processes, view.restarts, self.collapsed, self.text_filter, several)
        self.query_one(ProcessTable).show_rows(rows)
        self._show_status()

    def _show_status(self) -> None:
        status = self.query_one("#processes-status", Static)
        if self.view is None:
            return
        snapshot = self.view.snapshot
        parts = []
        for e in snapshot.endpoints:
            if e.ok:
                mine = [p for p in snapshot.processes if p.endpoint == e.name]
                up = sum(1 for p in mine if p.statename == "RUNNING")
                parts.append(f"{e.name}: {up}/{len(mine)} running")
            else:
                parts.append(f"{e.name}: DOWN ({e.kind}) {e.message}; showing last known")
        if not snapshot.endpoints:
            parts.append("no supervisord configured (set [[supervisor]] or --supervisor-url)")
        parts.append(f"scope: {self.scope}")
        if self.text_filter:
            parts.append(f"filter: {self.text_filter}")
        if self.view.counts_error:
            parts.append("restart counts unavailable")
        status.update(Text("  ·  ".join(parts)))
        status.set_class(not snapshot.reachable, "-down")

    def watch_scope(self) -> None:
        self._show_status()

    # --- read-only gate ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MUTATING and self.app.settings.read_only:
            return False  # hidden from footer and palette, and the key does nothing
        return True

    def _refuse_if_read_only(self, action: str) -> bool:
        if self.app.settings.read_only:
            self.notify(f"read-only: {action} refused", severity="warning", markup=False)
            return True
        return False

    # --- actions -------------------------------------------------------------------------------

    def action_start(self) -> None:
        self._begin("start")

    def action_stop(self) -> None:
        self._begin("stop")

    def action_restart(self) -> None:
        self._begin("restart")

    def action_rolling_restart(self) -> None:
        if self.scope == "program" and self._row_kind() != "group":
            self.scope = "group"  # a rolling restart is of a group
        self._begin("rolling_restart")

    def action_graceful_restart(self) -> None:
        self._begin("signal", "HUP")

    def action_graceful_stop(self) -> None:
        self._begin("signal", "INT")

    def action_clear_logs(self) -> None:
        self._begin("clear_logs")

    def action_signal(self) -> None:
        if self._refuse_if_read_only("signal"):
            return
        plan = self._plan("signal", "?")
        if plan is not None:
            self._pick_signal(plan)

    @work(group="processes-confirm")
    async def _pick_signal(self, plan: Plan) -> None:
        chosen = await self.app.push_screen_wait(SignalScreen(plan.label))
        if chosen:
            self._confirm_and_run(plan_action(self._plan_context(), "signal", chosen) or plan)

    def _row_kind(self) -> str:
        row = self.query_one(ProcessTable).current_row()
        return row.kind if row else ""

    def _plan_context(self) -> dict[str, Any]:
        return {
            "row": self.query_one(ProcessTable).current_row(),
            "scope": self.scope,
            "view": self.view,
        }

    def _plan(self, action: str, signal: str = "") -> Plan | None:
        plan = plan_action(self._plan_context(), action, signal)
        if plan is None:
            self.notify("select a program first", severity="warning", markup=False)
        return plan

    def _begin(self, action: str, signal: str = "") -> None:
        if self._refuse_if_read_only(action):
            return
        plan = self._plan(action, signal)
        if plan is not None:
            self._confirm_and_run(plan)

    @work(group="processes-confirm")
    async def _confirm_and_run(self, plan: Plan) -> None:
        if plan.confirm:
            title = f"{plan.verb} {len(plan.names)} process(es)?  ({plan.command})"
            screen = ConfirmScreen(title, plan.names, plan.verb, plan.note)
            if not await self.app.push_screen_wait(screen):
                self.query_one(ProcessActionLog).note(f"cancelled: {plan.command}")
                return
        if plan.twice:
            again = ConfirmScreen(
                f"Really {plan.verb.lower()} ALL {len(plan.names)} listed processes?",
                plan.names,
                f"Yes, {plan.verb.lower()} all",
            )
            if not await self.app.push_screen_wait(again):
                self.query_one(ProcessActionLog).note(f"cancelled: {plan.command}")
                return
        self._launch(plan)

    def _launch(self, plan: Plan) -> None:
        if self._acting:
            self.notify("an action is still running", severity="warning", markup=False)
            return
        self._acting = True
        self.query_one(ProcessActionLog).note(f"running: {plan.command} …")
        self._act(plan)

    @work(thread=True, group="processes-action")
    def _act(self, plan: Plan) -> None:
        results: list[ActionResult] = []
        try:
            if plan.action == "update":
                results = [self.service.update(plan.endpoints[0], plan.diff)]
            else:
                results = self.service.act(plan.action, plan.endpoints, plan.target, plan.signal)
        finally:
            self.post_message(ActionDone(results))

    def on_action_done(self, message: ActionDone) -> None:
        self._acting = False
        log = self.query_one(ProcessActionLog)
        for result in message.results:
            log.result(result)
            if result.action != "audit":
                severity = "information" if result.ok else "error"
                self.notify(result.summary(), severity=severity, markup=False)
        self._polling = False
        self.poll_now()

    # --- reread / update -----------------------------------------------------------------------

    def action_update(self) -> None:
        if self._refuse_if_read_only("update"):
            return
        row = self.query_one(ProcessTable).current_row()
        endpoints = [e.name for e in self.view.snapshot.endpoints] if self.view else []
        endpoint = row.endpoint if row else (endpoints[0] if endpoints else "")
        if not endpoint:
            self.notify("no supervisord to reread", severity="warning", markup=False)
            return
        self._reread(endpoint)

    @work(thread=True, group="processes-action")
    def _reread(self, endpoint: str) -> None:
        self.post_message(Reread(endpoint, self.service.reread(endpoint)))

    def on_reread(self, message: Reread) -> None:
        answer = message.answer
        if isinstance(answer, ActionResult):
            self.query_one(ProcessActionLog).result(answer)
            return
        if answer.empty:
            self.notify("reread: no changes", markup=False)
            return
        names = [f"added: {g}" for g in answer.added]
        names += [f"changed (restarts): {g}" for g in answer.changed]
        names += [f"removed (stops): {g}" for g in answer.removed]
        plan = Plan(
            "update",
            "Update",
            [message.endpoint],
            "all",
            names,
            "supervisorctl update",
            confirm=True,
            diff=answer,
        )
        self._confirm_and_run(plan)

    # --- navigation ----------------------------------------------------------------------------

    def action_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]

    def action_toggle_group(self) -> None:
        row = self.query_one(ProcessTable).current_row()
        if row is None:
            return
        key = row.key if row.kind == "group" else f"group:{row.endpoint}/{row.target.split(':')[0]}"
        self.collapsed.symmetric_difference_update({key})
        if self.view is not None:
            self.show_view(self.view)

    @on(DataTable.RowSelected, "#processes-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if self._row_kind() == "group":
            self.action_toggle_group()

    async def action_open_logs(self) -> None:
        row = self.query_one(ProcessTable).current_row()
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
            self.show_view(self.view)

    @on(Input.Submitted, "#processes-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.query_one(ProcessTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#processes-filter", Input)
        box.value = ""
        box.remove_class("-visible")
        self.query_one(ProcessTable).focus()

    def action_audit(self) -> None:
        self._load_audit()

    @work(thread=True, group="processes-audit")
    def _load_audit(self) -> None:
        self.post_message(AuditLoaded(self.service.audit_entries()))

    def on_audit_loaded(self, message: AuditLoaded) -> None:
        self.app.push_screen(AuditScreen(message.entries))
