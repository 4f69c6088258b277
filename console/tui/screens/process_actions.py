"""The processes screen's actions: start / stop / restart / signal / clear / reread-update on
the selection, each planned exactly (core `plan_action`), confirmed, run in a thread, logged."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from console.core.formatting import counted
from console.core.sanitize import clean
from console.core.supervisor.models import ActionResult, ConfigDiff
from console.core.supervisor.targets import Plan, Selection, plan_action
from console.tui.screens.confirm import Confirmation
from console.tui.screens.polled import PolledScreen
from console.tui.screens.process_signal import SignalScreen
from console.tui.widgets.process_action_log import ProcessActionLog

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


def confirmation(plan: Plan, host: str = "") -> Confirmation:
    """The question a plan asks: the exact processes (on `host`, when it is run through that
    host's worker), and again when it hits many."""
    where = f" on {clean(host, 255)}" if host else ""
    return Confirmation(
        title=f"{plan.verb} {counted(len(plan.names), 'process', 'processes')}{where}?"
        f"  ({plan.command})",
        targets=plan.names,
        label=plan.verb.removesuffix(" of"),  # the button: "Clear logs", not "Clear logs of"
        note=plan.note,
        twice=plan.twice,
        command=plan.command,
        again=f"Really {plan.verb.lower()} ALL {len(plan.names)} listed processes?",
    )


class ProcessActionsScreen(PolledScreen):
    """Acts on `selection()` within `scope`; the subclass shows the processes and polls."""

    MUTATING = MUTATING
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
    ]
    scope = "program"
    service: Any = None
    view: Any = None

    def __init__(self) -> None:
        super().__init__()
        self.acting = False  # one action at a time

    def selection(self) -> Selection | None:
        raise NotImplementedError

    @property
    def action_log(self) -> ProcessActionLog:
        return self.query_one(ProcessActionLog)

    # --- the keys --------------------------------------------------------------------------

    def action_start(self) -> None:
        self._begin("start")

    def action_stop(self) -> None:
        self._begin("stop")

    def action_restart(self) -> None:
        self._begin("restart")

    def action_rolling_restart(self) -> None:
        selection = self.selection()
        if self.scope == "program" and (selection is None or selection.kind != "group"):
            self.scope = "group"  # a rolling restart is of a group
        self._begin("rolling_restart")

    def action_graceful_restart(self) -> None:
        self._begin("signal", "HUP")

    def action_graceful_stop(self) -> None:
        self._begin("signal", "INT")

    def action_clear_logs(self) -> None:
        self._begin("clear_logs")

    def action_signal(self) -> None:
        if self.refused("signal") or (plan := self._plan("signal", "?")) is None:
            return

        def chosen(signal: str | None) -> None:
            if signal:
                self._confirm_and_run(self._plan("signal", signal) or plan)

        self.app.push_screen(SignalScreen(plan.label), chosen)

    # --- plan, confirm, run ------------------------------------------------------------------

    def _plan(self, action: str, signal: str = "") -> Plan | None:
        snapshot = self.view.snapshot if self.view is not None else None
        plan = plan_action(snapshot, self.selection(), self.scope, action, signal)
        if plan is None:
            self.notify("select a program first", severity="warning", markup=False)
        return plan

    def _begin(self, action: str, signal: str = "") -> None:
        if not self.refused(action) and (plan := self._plan(action, signal)) is not None:
            self._confirm_and_run(plan)

    def _confirm_and_run(self, plan: Plan) -> None:
        if not plan.confirm:
            self._launch(plan)
            return
        cancelled = lambda: self.action_log.note(f"cancelled: {plan.command}")  # noqa: E731
        host = self.app.model.host  # type: ignore[attr-defined]
        remote = getattr(self.service, "is_remote", lambda _host: False)(host)
        ask = confirmation(plan, host if remote else "")
        self.confirm_then(ask, lambda: self._launch(plan), cancelled)

    def _launch(self, plan: Plan) -> None:
        if self.acting:
            self.notify("an action is still running", severity="warning", markup=False)
            return
        self.acting = True
        self.action_log.note(f"running: {plan.command} …")
        self.run_blocking(lambda: self._act(plan), self._acted, failed=self._act_failed)

    def _act(self, plan: Plan) -> list[ActionResult]:
        host = self.app.model.host  # type: ignore[attr-defined]
        if plan.action == "update":
            return [self.service.update(plan.endpoints[0], plan.diff, host=host)]
        return self.service.act(
            plan.action, list(plan.endpoints), plan.target, plan.signal, host=host
        )

    def _act_failed(self) -> None:
        self.acting = False
        self.poll_soon()

    def _acted(self, results: list[ActionResult]) -> None:
        self.acting = False
        for result in results:
            self.action_log.result(result)
            if result.action != "audit":
                severity = "information" if result.ok else "error"
                self.notify(clean(result.summary(), 500), severity=severity, markup=False)
        self.poll_soon()

    # --- reread / update ---------------------------------------------------------------------

    def action_update(self) -> None:
        if self.refused("update"):
            return
        selection = self.selection()
        endpoints = [e.name for e in self.view.snapshot.endpoints] if self.view else []
        endpoint = selection.endpoint if selection else (endpoints[0] if endpoints else "")
        if not endpoint:
            self.notify("no supervisord to reread", severity="warning", markup=False)
            return
        host = self.app.model.host  # type: ignore[attr-defined]
        self.run_blocking(
            lambda: self.service.reread(endpoint, host=host), lambda a: self._reread(endpoint, a)
        )

    def _reread(self, endpoint: str, answer: ConfigDiff | ActionResult) -> None:
        if isinstance(answer, ActionResult):
            self.action_log.result(answer)
            return
        if answer.empty:
            self.notify("reread: no changes", markup=False)
            return
        names = [f"added: {g}" for g in answer.added]
        names += [f"changed (restarts): {g}" for g in answer.changed]
        names += [f"removed (stops): {g}" for g in answer.removed]
        command = "supervisorctl update"
        plan = Plan("update", "Update", (endpoint,), "all", tuple(names), command, diff=answer)
        self._confirm_and_run(plan)
