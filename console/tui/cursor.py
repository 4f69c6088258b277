"""The app's time cursor: None is live; a time makes every screen show the store's past.

`@` opens the input, `<` / `>` step by a part of the chart's range, `0` (or typing `now`)
goes back to live. The dashboard's values at the cursor are read once per cursor move (the
past does not change); the live polls go on for the header's sources.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from console.core.feeds.dashboard import CacheReading, HistoryReading, queue_series_names
from console.core.timecursor import parse_at, step_for, stepped
from console.tui.dash_choices import CHART_RANGES, SPARK_METRICS, SPARK_POINTS
from console.tui.state.messages import PastRead
from console.tui.state.model import DashboardModel

if TYPE_CHECKING:
    from console.tui.app import StackwatchApp

CURSOR_BINDINGS = [
    Binding("at", "cursor_input", "Go to time", id="app.cursor", show=False),  # in ? help
    Binding("less_than_sign", "cursor_step(-1)", "Earlier", id="app.cursor_back", show=False),
    Binding("greater_than_sign", "cursor_step(1)", "Later", id="app.cursor_forward", show=False),
    Binding("0", "cursor_live", "Live", id="app.cursor_live", show=False),
]


RECENT_S = 900.0  # a cursor this close to now may still gain rows (the worker stores late)


def settled(at: float, now: float) -> bool:
    """Whether the store's answer for `at` is final (nothing more will be written for it)."""
    return now - at > RECENT_S


class CursorMixin:
    """Mixed into StackwatchApp: the cursor, its keys, and the dashboard's past values."""

    cursor: float | None = None
    _past: tuple[CacheReading, HistoryReading] | None = None

    def action_cursor_input(self: StackwatchApp) -> None:
        from console.tui.screens.cursor_input import CursorInput

        def parse(text: str) -> float | None:
            return parse_at(text, self.clock(), self.tz)

        def answered(answer: Any) -> None:
            if answer is not None:
                self.set_cursor(answer[1])

        self.push_screen(CursorInput(parse), answered)

    def action_cursor_step(self: StackwatchApp, direction: int) -> None:
        span = CHART_RANGES.get(getattr(self.screen, "range_name", "1h"), 3600)
        self.set_cursor(stepped(self.cursor, direction * step_for(span), self.clock()))

    def action_cursor_live(self: StackwatchApp) -> None:
        self.set_cursor(None)

    def set_cursor(self: StackwatchApp, at: float | None) -> None:
        """Look at `at` (None: live): every screen follows through `cursor_signal`."""
        if at == self.cursor:
            return
        self.cursor, self._past = at, None
        if at is not None:
            self.read_past()
        self._publish()
        self.cursor_signal.publish(at)

    def read_past(self: StackwatchApp) -> None:
        """The dashboard's values at the cursor, in a thread; answered by `PastRead`."""
        at, host, feed = self.cursor, self.model.host, self.feeds.dashboard
        if at is None:
            return
        queues = self.model.cache.queues if self.model.cache else None
        metrics = (*SPARK_METRICS, *queue_series_names(queues))

        def work() -> None:
            cache = feed.read_cache(host, as_of=at)
            history = feed.read_history(host, metrics, SPARK_POINTS, as_of=at)
            self.post_message(PastRead(cache, history))

        self.run_worker(work, group="past", thread=True, exclusive=True, exit_on_error=False)

    def refresh_recent_past(self: StackwatchApp) -> None:
        """With each store poll: read a recent cursor's values again (rows arrive late)."""
        if self.cursor is not None and not settled(self.cursor, self.clock()):
            self.read_past()

    def on_past_read(self: StackwatchApp, message: PastRead) -> None:
        cache = message.cache
        if cache.as_of != self.cursor or cache.host != self.model.host:
            return  # an answer for a cursor or host since left
        self._past = (cache, message.history)
        self._publish()

    def shown_model(self: StackwatchApp) -> DashboardModel:
        """The live model, or at a cursor the same sources with the store's past values."""
        if self.cursor is None:
            return self.model
        if self._past is None:
            return replace(self.model, cache=None, history=None)
        cache, history = self._past
        if not cache.ok:  # the store cannot say: the panels say why
            cache = CacheReading(True, "", cache.host, cache.polled_at, as_of=cache.as_of,
                                 note=f"database: {cache.reason}")  # fmt: skip
        return replace(self.model, cache=cache, history=history if history.ok else None)
