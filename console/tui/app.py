"""The Textual app: one mode per screen, reached by one key each; the source poller; the model."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable
from datetime import UTC, tzinfo
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from console.core.feeds import Feeds
from console.core.feeds.dashboard import ChartReading
from console.core.sanitize import clean
from console.core.settings import Settings
from console.core.sources import worst
from console.tui.cursor import CURSOR_BINDINGS, CursorMixin
from console.tui.dash_choices import CHART_RANGES
from console.tui.failures import Failure, Failures, capture, guarded
from console.tui.host_commands import HostCommands
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.help import BindingsProvider, HelpScreen, key_rows
from console.tui.screens.traceback import TracebackScreen
from console.tui.state.messages import CacheRead, ChartRead, HistoryRead, SupervisorChecked
from console.tui.state.model import (
    CACHE,
    DATABASE,
    DashboardModel,
    age_worker,
    fold_cache,
    fold_chart,
    fold_history,
    fold_supervisor,
    initial_model,
    mark_down,
    mark_hung,
    supervisor_key,
    switch_host,
)
from console.tui.state.poller import ModelPoller

Clock = Callable[[], float]


def _lazy(module: str, name: str) -> Callable[[], Screen]:
    """A screen imported when first shown: start-up pays for the dashboard only."""

    def make() -> Screen:
        return getattr(importlib.import_module(module), name)()

    make.__qualname__ = name
    return make


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _news(old: DashboardModel, new: DashboardModel) -> bool:
    """A change worth a frame at once: a source's status, the host, first values or none."""
    return (
        [s.status for s in old.states] != [s.status for s in new.states]
        or (old.host, old.hosts) != (new.host, new.hosts)
        or (old.cache is None) != (new.cache is None)
        or (old.history is None) != (new.history is None)
    )


class StackwatchApp(CursorMixin, App[int]):
    """The console. Screens read `self.app.settings` and get their data from `self.app.feeds`
    (handed in, never built by a screen); all I/O runs in thread workers."""

    TITLE = "stackwatch"
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses live elsewhere
    COMMANDS = App.COMMANDS | {BindingsProvider, HostCommands}
    MODES: ClassVar = {
        "dashboard": DashboardScreen,
        "processes": _lazy("console.tui.screens.processes", "ProcessesScreen"),
        "queues": _lazy("console.tui.screens.queues", "QueuesScreen"),
        "logs": _lazy("console.tui.screens.logs", "LogsScreen"),
        "fleet": _lazy("console.tui.screens.fleet", "FleetScreen"),
        "alerts": _lazy("console.tui.screens.alerts", "AlertsScreen"),
    }
    DEFAULT_MODE = "dashboard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1,D", "switch_mode('dashboard')", "Dashboard", id="screen.dashboard"),
        Binding("2,P", "switch_mode('processes')", "Processes", id="screen.processes"),
        Binding("3,Q", "switch_mode('queues')", "Queues", id="screen.queues"),
        Binding("4,L", "switch_mode('logs')", "Logs", id="screen.logs"),
        Binding("5,F", "switch_mode('fleet')", "Fleet", id="screen.fleet", show=False),
        Binding("6,A", "switch_mode('alerts')", "Alerts", id="screen.alerts", show=False),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("H", "next_host", "Switch host", id="app.host", show=False),
        Binding("exclamation_mark", "last_failure", "Last error", id="app.last_error", show=False),
        Binding("q", "quit", "Quit", id="app.quit"),
        *CURSOR_BINDINGS,
    ]

    def __init__(
        self,
        settings: Settings,
        feeds: Feeds,
        clock: Clock = time.time,
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.clock = clock
        self.tz = tz or _zone(settings.timezone)
        self.feeds = feeds
        self.model: DashboardModel = initial_model(settings, settings.host)
        self.model_signal: Signal[DashboardModel] = Signal(self, "model")
        self.cursor_signal: Signal[float | None] = Signal(self, "cursor")  # None: live
        self.tick_signal: Signal[float] = Signal(self, "tick")
        self.chart_signal: Signal[ChartReading] = Signal(self, "chart")
        self.poller = ModelPoller(self)
        self.failures = Failures()
        self._unpublished = False  # the model has news the screens have not been shown yet
        self.theme = settings.theme if settings.theme in self.available_themes else "textual-dark"
        self.set_keymap(dict(settings.keys))

    def _fatal_error(self) -> None:
        """Textual's crash dump prints every frame's locals (URLs, passwords); ours does not."""
        from console.tui.crash import crash_report

        self.bell()
        self.panic(crash_report(self.settings.secrets()))

    def on_mount(self) -> None:
        self.poller.start()
        # Ages are the only thing that changes by itself; they repaint a few cells per second.
        self.set_interval(1.0, self.tick, name="ages")

    def on_ready(self) -> None:
        # Ready comes before the first frame is written: wait for that refresh, then let the
        # store (and the alerts chip) load SQLAlchemy in their threads; importing it while
        # the first frame renders would hold the GIL and delay it.
        self.call_after_refresh(self._first_frame_out)

    def _first_frame_out(self) -> None:
        from console.tui.widgets.alert_chip import AlertChip

        self.poller.store_ready()
        for chip in self.screen.query(AlertChip):
            chip.refresh_count()

    def on_unmount(self) -> None:
        self.poller.stop()
        self.feeds.close()

    # -- the model ------------------------------------------------------------------------
    def _set_model(self, model: DashboardModel) -> None:
        """Keep the new model; show it now if a state changed, else on the next tick."""
        if model == self.model:
            return
        urgent = _news(self.model, model)
        self.model = model
        if urgent:
            self._publish()
        else:
            # New values alone wait for the 1 Hz tick, so they repaint in the same frame as
            # the ages: at most one frame a second while sources are polled every 2 s.
            self._unpublished = True

    def _publish(self) -> None:
        self._unpublished = False
        self.model_signal.publish(self.shown_model())

    @property
    def collect_interval(self) -> float:
        """The shown host's worker's own interval (published with its heartbeat); the
        console's setting only until a worker has said."""
        cache = self.model.cache
        fallback = self.settings.collect_interval
        return cache.collect_interval(fallback) if cache is not None else fallback

    @guarded("the 1 Hz tick")
    def tick(self) -> None:
        """Once a second: hung polls, the worker's age, values kept for this frame."""
        now = self.clock()
        for key, seconds in self.poller.hung(now):
            self._set_model(mark_hung(self.model, key, seconds, now))
        # The worker's age moves with the other ages, in the same frame.
        self._set_model(age_worker(self.model, now, self.collect_interval))
        if self._unpublished:
            self._publish()
        self.tick_signal.publish(now)

    @guarded("showing the cache")
    def on_cache_read(self, message: CacheRead) -> None:
        self.poller.done(CACHE)
        interval = message.reading.collect_interval(self.settings.collect_interval)
        self._set_model(fold_cache(self.model, message.reading, interval))

    @guarded("showing the history")
    def on_history_read(self, message: HistoryRead) -> None:
        self.poller.done(DATABASE)
        self._set_model(fold_history(self.model, message.reading))
        self.refresh_recent_past()

    @guarded("showing supervisord")
    def on_supervisor_checked(self, message: SupervisorChecked) -> None:
        self.poller.done(supervisor_key(message.reading.name))
        self._set_model(fold_supervisor(self.model, message.reading))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A poll that raised: its source shows down with the reason, the error is recorded,
        and the source is polled again on schedule."""
        if event.state not in (WorkerState.ERROR, WorkerState.CANCELLED):
            return
        key = self.poller.failed(event.worker.group)
        error = event.worker.error
        if key is None or error is None:
            return
        failure = self.record_failure(f"polling {key}", error)
        if key != "chart":
            self._set_model(mark_down(self.model, key, failure.summary[:120], self.clock()))

    @guarded("showing the chart")
    def on_chart_read(self, message: ChartRead) -> None:
        self.poller.chart_done()
        self._set_model(fold_chart(self.model, message.reading))
        self.chart_signal.publish(message.reading)

    @property
    def health(self) -> str:
        """The worst source status: 'ok', 'stale', 'down' or 'unknown'."""
        return worst(list(self.model.states))

    # -- actions --------------------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(key_rows(self.screen)))

    # -- failures -----------------------------------------------------------------------------
    def record_failure(self, where: str, error: BaseException) -> Failure:
        """An unexpected error in a screen or a poll: logged, kept, announced; the app goes on."""
        failure = capture(where, error, self.settings.secrets())
        if not self.failures.add(failure):
            return failure  # the same error again: announced already
        self.notify(
            f"{where} failed: {failure.summary}\npress ! to see the traceback",
            title="Unexpected error",
            severity="error",
            timeout=10,
            markup=False,
        )
        return failure

    def action_last_failure(self) -> None:
        failure = self.failures.newest
        if failure is None:
            self.notify("no unexpected error so far", timeout=3, markup=False)
        elif not isinstance(self.screen, TracebackScreen):
            title = f"{failure.where}: {failure.summary}"
            self.push_screen(TracebackScreen(title, failure.traceback))

    def action_next_host(self) -> None:
        """Cycle through the hosts that write to this cache / store."""
        hosts = self.model.hosts or (self.model.host,)
        index = hosts.index(self.model.host) if self.model.host in hosts else -1
        self.select_host(hosts[(index + 1) % len(hosts)])

    def select_host(self, host: str) -> None:
        if host == self.model.host:
            self.notify(f"only one host: {clean(host, 255)}", markup=False, timeout=2)
            return
        self._set_model(switch_host(self.model, host))
        self.poller.poll_now(CACHE)
        self.poller.poll_now(DATABASE)
        if self.cursor is not None:  # the other host's past
            self._past = None
            self.read_past()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's, and the chart ranges (hosts are outside text: see HostCommands)."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, DashboardScreen):
            for name in CHART_RANGES:
                yield SystemCommand(
                    f"Chart range {name}", "history chart range", lambda n=name: screen.set_range(n)
                )


def make_app(
    settings: Settings,
    feeds: Feeds | None = None,
    clock: Clock = time.time,
    tz: tzinfo | None = None,
) -> StackwatchApp:
    """The app factory: the CLI passes real settings (the real feeds are built from them),
    tests pass their own feeds and clock."""
    if feeds is None:
        from console.core.feeds import build_feeds

        feeds = build_feeds(settings, clock)
    return StackwatchApp(settings, feeds, clock=clock, tz=tz)
