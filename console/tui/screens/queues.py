"""The queues and jobs screen: depths, tiles, running and failed jobs, the periodic ledger and
scheduled tasks. All reads and actions run in thread workers; polls never overlap and pause
while a modal is open; mutating actions are confirmed and hidden in read-only mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from console.core.formatting import counted
from console.core.sanitize import clean
from console.tui.screens.confirm import Confirmation
from console.tui.screens.polled import PolledScreen
from console.tui.screens.queue_commands import QueueCommands
from console.tui.screens.traceback import TracebackScreen
from console.tui.text import outside
from console.tui.widgets.header_bar import HeaderBar
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.queue_depths import QueueDepthTable
from console.tui.widgets.queue_failures import FailureTable
from console.tui.widgets.queue_jobs import InFlightTable, TaskStatsTable
from console.tui.widgets.queue_ledger import LedgerTable
from console.tui.widgets.queue_scheduled import ScheduledTable
from console.tui.widgets.queue_tiles import QueueTiles

if TYPE_CHECKING:
    from console.core.feeds.queues import QueuesView

MUTATING = frozenset({"retry", "delete", "flush", "revoke", "restore"})
TAB_OF = {
    "retry": "failed",
    "delete": "failed",
    "flush": "failed",
    "traceback": "failed",
    "revoke": "scheduled",
    "restore": "scheduled",
}


class QueuesScreen(PolledScreen):
    """Reads `self.app.feeds.queues` for the app's host; all I/O runs in thread workers."""

    CSS_PATH = str(Path(__file__).with_name("queues.tcss"))  # absolute: subclasses live elsewhere
    COMMANDS: ClassVar = {QueueCommands}
    MUTATING = MUTATING
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry", id="queues.retry"),
        Binding("d", "delete", "Delete", id="queues.delete"),
        Binding("F", "flush", "Flush", id="queues.flush"),
        Binding("v", "revoke", "Revoke", id="queues.revoke"),
        Binding("u", "restore", "Restore", id="queues.restore"),
        Binding("t", "traceback", "Traceback", id="queues.traceback"),
        Binding("ctrl+r", "refresh", "Refresh", id="queues.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: QueuesView | None = None

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(Text("reading queues…"), id="queues-status")
        yield QueueTiles(id="queue-tiles")
        with TabbedContent(initial="queues", id="queue-tabs"):
            with TabPane("Queues", id="queues"):
                yield QueueDepthTable(id="queue-depths")
            with TabPane("Jobs", id="jobs"):
                yield InFlightTable(id="queue-inflight")
                yield TaskStatsTable(id="queue-taskstats")
            with TabPane("Failed", id="failed"):
                yield FailureTable(id="queue-failures")
            with TabPane("Periodic", id="periodic"):
                yield LedgerTable(id="queue-ledger")
            with TabPane("Scheduled", id="scheduled"):
                yield ScheduledTable(id="queue-scheduled")
        yield KeyFooter()

    # --- polling -------------------------------------------------------------------------

    def poll_interval(self) -> float:
        return self.app.settings.refresh_queues  # type: ignore[attr-defined]

    def fetch(self) -> QueuesView:
        at = self.app.cursor  # type: ignore[attr-defined]
        return self.app.feeds.queues.load(self.app.model.host, as_of=at)  # type: ignore[attr-defined]

    def record_failure(self, what: str, error: BaseException) -> None:
        super().record_failure(what, error)
        if what == "reading":
            self._status(f"reading queues failed: {type(error).__name__}: {error}", bad=True)

    def show(self, view: QueuesView) -> None:
        self.view = view
        zone = self.app.settings.timezone
        self.query_one(QueueTiles).show(view.tiles)
        self.query_one(QueueDepthTable).show(view.queues)
        self.query_one(InFlightTable).show(view.inflight, view.ts, zone)
        self.query_one(TaskStatsTable).show(view.tasks)
        self.query_one(FailureTable).show(view.failures, view.ts, zone)
        self.query_one(LedgerTable).show(view.ledger, view.ts, zone)
        self.query_one(ScheduledTable).show(view.scheduled, view.ts, zone)
        self._titles(view)
        self._status_of(view)

    def _titles(self, view: QueuesView) -> None:
        tabs = self.query_one(TabbedContent)
        missed = sum(1 for row in view.ledger if row.missed)
        failed = len(view.failures) if view.failed_total is None else view.failed_total
        tabs.get_tab("failed").label = Text(f"Failed {failed}")
        tabs.get_tab("jobs").label = Text(f"Jobs {len(view.inflight)}")
        tabs.get_tab("periodic").label = Text(f"Periodic{' MISSED' if missed else ''}")
        tabs.get_tab("scheduled").label = Text(f"Scheduled {len(view.scheduled)}")

    def _status_of(self, view: QueuesView) -> None:
        errors = [
            e
            for e in (
                view.queues_error,
                view.jobs_error,
                view.failures_error,
                view.ledger_error,
                view.scheduled_error,
            )
            if e
        ]
        if not self.query_one(QueueDepthTable).shows("seen as"):  # the reason is not in the table
            errors += [f"{line.name}: {line.error}" for line in view.queues if line.error]
        mode = " · read-only" if self.app.settings.read_only else ""
        head = f"{view.host} · {counted(len(view.queues), 'queue')}{mode}"
        self._status(" · ".join([head, *dict.fromkeys(errors)]), bad=bool(errors))

    def _status(self, text: str, bad: bool = False) -> None:
        status = self.query_one("#queues-status", Static)
        status.update(outside(text, 1000))
        status.set_class(bad, "-bad")

    # --- bindings ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        tab = TAB_OF.get(action)
        if tab is not None and self._active_tab() != tab:
            return False
        return True

    def _active_tab(self) -> str:
        try:
            return self.query_one(TabbedContent).active
        except NoMatches:  # asked before compose finished: no tab yet
            return ""

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#queue-failures")
    def _failure_selected(self) -> None:
        self.action_traceback()

    def action_refresh(self) -> None:
        self.poll_soon()

    def action_traceback(self) -> None:
        failure = self.query_one(FailureTable).selected()
        if failure is not None:
            title = f"{failure.queue}/{failure.task} {failure.task_id}: {failure.exception}"
            self.app.push_screen(TracebackScreen(title, failure.traceback))

    def action_retry(self) -> None:
        failure = self.query_one(FailureTable).selected()
        if self.refused("retry") or failure is None:
            return
        if not failure.retryable:
            self.notify(
                f"cannot retry: {clean(failure.why_not, 300)}", severity="warning", markup=False
            )
            return
        target = f"{failure.task} on queue {failure.queue} (failed: {failure.exception})"
        self._confirm("Enqueue this job again?", target, "Retry", lambda a: a.retry(failure))

    def action_delete(self) -> None:
        failure = self.query_one(FailureTable).selected()
        if self.refused("delete") or failure is None:
            return
        target = f"failure {failure.id}: {failure.task} on {failure.queue} ({failure.exception})"
        self._confirm("Delete this failure record?", target, "Delete", lambda a: a.delete(failure))

    def action_flush(self) -> None:
        if self.refused("revoke") or self.view is None:
            return
        target = f"all {len(self.view.failures)} failure records of {self.view.host}"
        again = f"Really delete ALL {len(self.view.failures)} failure records?"
        ask = "Delete every failure record?"
        self._confirm(ask, target, "Flush", lambda a: a.flush(), again)

    def action_revoke(self) -> None:
        task = self.query_one(ScheduledTable).selected()
        if self.refused("revoke") or task is None:
            return
        target = f"{task.task} {task.task_id} on {task.queue}"
        self._confirm("Revoke this scheduled task?", target, "Revoke", lambda a: a.revoke(task))

    def action_restore(self) -> None:
        task = self.query_one(ScheduledTable).selected()
        if self.refused("restore") or task is None:
            return
        target = f"{task.task} {task.task_id} on {task.queue}"
        self._confirm("Restore this revoked task?", target, "Restore", lambda a: a.restore(task))

    def _confirm(
        self, question: str, target: str, label: str, call: Callable[[Any], Any], again: str = ""
    ) -> None:
        """Ask (and ask `again` when given), then run `call(QueueActions)` in a thread."""
        ask = Confirmation(question, [target], label, twice=bool(again), again=again)
        self.confirm_then(ask, lambda: self.run_blocking(lambda: self._act(call), self._acted))

    def _act(self, call: Callable[[Any], Any]) -> tuple[str, bool]:
        from console.core.errors import StackwatchError

        try:
            done = call(self.app.feeds.queues.actions(self.app.model.host))  # type: ignore[attr-defined]
        except StackwatchError as exc:
            return str(exc), False
        return done.message, True

    def _acted(self, outcome: tuple[str, bool]) -> None:
        text, ok = outcome
        self.notify(clean(text, 500), severity="information" if ok else "error", markup=False)
        self.poll_soon()
