"""Polls every source in thread workers and folds the answers into the app's DashboardModel.

Each source has its own worker group; the next poll of a source is scheduled only when the
previous one has returned, so polls never overlap. Polling waits while a modal is open. A
poll that does not return marks its source down (it keeps running; no second one starts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen

from console.core.feeds.dashboard import queue_series_names
from console.tui.dash_choices import CHART_RANGES, SPARK_METRICS, SPARK_POINTS
from console.tui.state.messages import CacheRead, ChartRead, HistoryRead, SupervisorChecked
from console.tui.state.model import CACHE, DATABASE, supervisor_key

if TYPE_CHECKING:
    from console.tui.app import StackwatchApp

MODAL_RETRY_S = 0.5  # how soon to look again while a modal is open (no I/O, no repaint)
HISTORY_EVERY_S = 30.0  # the store gets a row a minute: reading it more often buys nothing


class ModelPoller:
    """Owns the poll schedule; the app forwards the result messages to `done`."""

    def __init__(self, app: StackwatchApp) -> None:
        self.app = app
        self.interval = app.settings.refresh_dashboard
        self.hang_after = max(5.0, 2 * app.settings.rpc_timeout)
        self._started: dict[str, float] = {}  # source key -> when its running poll started
        self._again: set[str] = set()  # sources to re-poll as soon as the running poll ends
        self._stopped = False
        self._chart_request: tuple[str, str, str, int] | None = None
        self._store_ready = False  # store reads wait for the first frame (see store_ready)
        self.deferred = 0  # polls put off because a modal was open

    # -- schedule -----------------------------------------------------------------------
    def start(self) -> None:
        """Poll every source but the store, which waits for `store_ready`."""
        for key in self.keys():
            if key != DATABASE:
                self._launch(key)

    def store_ready(self) -> None:
        """The first frame is shown: start the store polls (and a chart asked before)."""
        if self._store_ready:
            return
        self._store_ready = True
        self._launch(DATABASE)
        if self._chart_request is not None and "chart" not in self._started:
            self.request_chart(*self._chart_request)

    @property
    def first_frame_out(self) -> bool:
        """The first frame is shown: reads that load SQLAlchemy may start."""
        return self._store_ready

    def stop(self) -> None:
        self._stopped = True

    def keys(self) -> list[str]:
        sups = [supervisor_key(e.name) for e in self.app.settings.supervisors]
        return [CACHE, DATABASE, *sups]

    def poll_now(self, key: str) -> None:
        """Poll a source as soon as possible (now, or right after its running poll)."""
        if key in self._started:
            self._again.add(key)
        else:
            self._launch(key)

    def _schedule(self, key: str, delay: float) -> None:
        if not self._stopped:
            self.app.set_timer(delay, lambda: self._launch(key), name=f"poll-{key}")

    def _covered(self) -> bool:
        """A modal is on top (read from the stack: `app.screen` raises while the app closes)."""
        stack = self.app.screen_stack
        return bool(stack) and isinstance(stack[-1], ModalScreen)

    def _launch(self, key: str) -> None:
        if self._stopped or not self.app.is_running:
            return
        if key in self._started or (key == DATABASE and not self._store_ready):
            return
        if self._covered():
            self.deferred += 1
            self._schedule(key, MODAL_RETRY_S)
            return
        self._started[key] = self.app.clock()
        work, group = self._work_for(key)
        self.app.run_worker(work, group=group, thread=True, exclusive=True, exit_on_error=False)

    def _work_for(self, key: str) -> tuple[Callable[[], Any], str]:
        app, feed = self.app, self.app.feeds.dashboard
        host = app.model.host
        if key == CACHE:
            return lambda: app.post_message(CacheRead(feed.read_cache(host))), "poll-cache"
        if key == DATABASE:
            extra = queue_series_names(app.model.cache.queues if app.model.cache else None)
            metrics = (*SPARK_METRICS, *extra)
            return (
                lambda: app.post_message(
                    HistoryRead(feed.read_history(host, metrics, SPARK_POINTS))
                ),
                "poll-database",
            )
        name = key.split(":", 1)[1]
        endpoint = next(e for e in app.settings.supervisors if e.name == name)
        return (
            lambda: app.post_message(SupervisorChecked(feed.check_supervisor(endpoint))),
            f"poll-{key}",
        )

    def done(self, key: str) -> None:
        """A poll returned: schedule the next one of that source."""
        self._started.pop(key, None)
        if key in self._again:
            self._again.discard(key)
            self._launch(key)
            return
        delay = max(HISTORY_EVERY_S, self.interval) if key == DATABASE else self.interval
        self._schedule(key, delay)

    def failed(self, group: str) -> str | None:
        """A poll worker of `group` raised or was cancelled: its source is free again and is
        polled on schedule (else it would wait for an answer forever). Returns its key."""
        if group == "chart":
            self.chart_done()
            return "chart"
        key = group.removeprefix("poll-")
        if key not in self._started:
            return None
        self.done(key)
        return key

    def running(self, key: str) -> bool:
        """Whether a poll of `key` has started and not returned yet."""
        return key in self._started

    def hung(self, now: float) -> list[tuple[str, float]]:
        """Sources whose running poll has outlived the deadline, with how long it has run."""
        return [
            (key, now - started)
            for key, started in self._started.items()
            if now - started > self.hang_after
        ]

    # -- chart (on demand; one request in flight, the latest one wins) --------------------
    def request_chart(self, metric: str, host: str, range_name: str, points: int) -> None:
        request = (metric, host, range_name, points)
        if "chart" in self._started or not self._store_ready:
            self._chart_request = request
            return
        self._chart_request = None
        self._started["chart"] = self.app.clock()
        feed, app = self.app.feeds.dashboard, self.app
        span = CHART_RANGES[range_name]
        at = app.cursor  # the time cursor when asked (None: live)

        def work() -> None:
            app.post_message(ChartRead(feed.read_chart(host, metric, span, points, as_of=at)))

        self.app.run_worker(work, group="chart", thread=True, exclusive=True, exit_on_error=False)

    def chart_done(self) -> None:
        self._started.pop("chart", None)
        if self._chart_request is not None and not self._stopped:
            self.request_chart(*self._chart_request)
