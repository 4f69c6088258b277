"""The queues and jobs screen: depths, tiles, running and failed jobs, the periodic ledger and
scheduled tasks. All reads and actions run in thread workers; polls never overlap and pause
while a modal is open; mutating actions are confirmed and hidden in read-only mode."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from console.tui.screens.confirm import ConfirmScreen
from console.tui.screens.queue_commands import QueueCommands
from console.tui.screens.queue_traceback import QueueTraceback
from console.tui.widgets.header_bar import HeaderBar
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.queue_depths import QueueDepthTable
from console.tui.widgets.queue_failures import FailureTable
from console.tui.widgets.queue_jobs import InFlightTable, TaskStatsTable
from console.tui.widgets.queue_ledger import LedgerTable
from console.tui.widgets.queue_scheduled import ScheduledTable
from console.tui.widgets.queue_tiles import QueueTiles

if TYPE_CHECKING:
    from console.core.queues.screen_data import QueuesView

MUTATING = {"retry", "delete", "flush", "revoke", "restore"}
TAB_OF = {
    "retry": "failed",
    "delete": "failed",
    "flush": "failed",
    "traceback": "failed",
    "revoke": "scheduled",
    "restore": "scheduled",
}


@dataclass
class Loaded(Message):
    view: QueuesView


@dataclass
class ActionDone(Message):
    text: str
    ok: bool


class QueuesScreen(Screen):
    """Reads `self.app.settings`; `source_factory(settings)` makes the data source (tests
    inject a fixed one)."""

    CSS_PATH = str(Path(__file__).with_name("queues.tcss"))  # absolute: subclasses live elsewhere
    COMMANDS: ClassVar = {QueueCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry", id="queues.retry"),
        Binding("d", "delete", "Delete", id="queues.delete"),
        Binding("F", "flush", "Flush", id="queues.flush"),
        Binding("v", "revoke", "Revoke", id="queues.revoke"),
        Binding("u", "restore", "Restore", id="queues.restore"),
        Binding("t", "traceback", "Traceback", id="queues.traceback"),
        Binding("ctrl+r", "refresh", "Refresh", id="queues.refresh"),
    ]
    source_factory: ClassVar[Callable[[Any], Any] | None] = None

    def __init__(self) -> None:
        super().__init__()
        self.view: QueuesView | None = None
        self._source: Any = None
        self._polling = False

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

    def on_mount(self) -> None:
        self.poll()
        self.set_interval(self.app.settings.refresh_queues, self.poll)

    def on_unmount(self) -> None:
        if self._source is not None:
            self._source.close()

    # --- polling -------------------------------------------------------------------------

    def poll(self) -> None:
        """Start a read unless one is running or a modal covers the screen."""
        if self._polling or self.app.screen is not self:
            return
        self._polling = True
        self._load()

    def _get_source(self) -> Any:
        if self._source is None:
            factory = type(self).source_factory
            if factory is None:
                from console.core.queues.screen_data import QueuesSource

                factory = QueuesSource
            self._source = factory(self.app.settings)
        return self._source

    @work(thread=True, exclusive=True, group="queues-poll", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(Loaded(self._get_source().load()))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "queues-poll" and event.state == WorkerState.ERROR:
            self._polling = False
            error = event.worker.error
            self._status(f"reading queues failed: {type(error).__name__}: {error}", bad=True)
        elif event.worker.group == "queues-action" and event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(f"{type(error).__name__}: {error}", severity="error", markup=False)

    def on_loaded(self, message: Loaded) -> None:
        self._polling = False
        self.view = view = message.view
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
        tabs.get_tab("failed").label = Text(f"Failed {len(view.failures)}")
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
        mode = " · read-only" if self.app.settings.read_only else ""
        head = f"{view.host} · {len(view.queues)} queues{mode}"
        self._status(" · ".join([head, *dict.fromkeys(errors)]), bad=bool(errors))

    def _status(self, text: str, bad: bool = False) -> None:
        status = self.query_one("#queues-status", Static)
        status.update(Text(text))
        status.set_class(bad, "-bad")

    # --- bindings ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MUTATING and self.app.settings.read_only:
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
        self.poll()

    def action_traceback(self) -> None:
        failure = self.query_one(FailureTable).selected()
        if failure is not None:
            title = f"{failure.queue}/{failure.task} {failure.task_id}: {failure.exception}"
            self.app.push_screen(QueueTraceback(title, failure.traceback))

    def _refused(self) -> bool:
        if self.app.settings.read_only:
            self.notify("read-only mode: actions are refused", severity="warning", markup=False)
            return True
        return False

    def action_retry(self) -> None:
        failure = self.query_one(FailureTable).selected()
        if self._refused() or failure is None:
            return
        if not failure.retryable:
            self.notify(f"cannot retry: {failure.why_not}", severity="warning", markup=False)
            return
        target = f"{failure.task} on queue {failure.queue} (failed: {failure.exception})"
        self._confirm("Enqueue this job again?", target, "Retry", lambda a: a.retry(failure))

    def action_delete(self) -> None:
        failure = self.query_one(FailureTable).selected()
        if self._refused() or failure is None:
            return
        target = f"failure {failure.id}: {failure.task} on {failure.queue} ({failure.exception})"
        self._confirm("Delete this failure record?", target, "Delete", lambda a: a.delete(failure))

    def action_flush(self) -> None:
        if self._refused() or self.view is None:
            return
        target = f"all {len(self.view.failures)} failure records of {self.view.host}"
        self._confirm("Delete every failure record?", target, "Flush", lambda a: a.flush())

    def action_revoke(self) -> None:
        task = self.query_one(ScheduledTable).selected()
        if self._refused() or task is None:
            return
        target = f"{task.task} {task.task_id} on {task.queue}"
        self._confirm("Revoke this scheduled task?", target, "Revoke", lambda a: a.revoke(task))

    def action_restore(self) -> None:
        task = self.query_one(ScheduledTable).selected()
        if self._refused() or task is None:
            return
        target = f"{task.task} {task.task_id} on {task.queue}"
        self._confirm("Restore this revoked task?", target, "Restore", lambda a: a.restore(task))

    def _confirm(self, question: str, target: str, label: str, call: Callable[[Any], Any]) -> None:
        def decided(ok: bool | None) -> None:
            if ok:
                self._act(call)

        self.app.push_screen(ConfirmScreen(question, [target], label), decided)

    @work(thread=True, group="queues-action", exit_on_error=False)
    def _act(self, call: Callable[[Any], Any]) -> None:
        from console.core.errors import StackwatchError
        from console.core.queues.actions import QueueActions

        try:
            done = call(QueueActions(self._get_source().sources))
        except StackwatchError as exc:
            self.post_message(ActionDone(str(exc), ok=False))
            return
        self.post_message(ActionDone(done.message, ok=True))

    def on_action_done(self, message: ActionDone) -> None:
        self.notify(message.text, severity="information" if message.ok else "error", markup=False)
        self.poll()
