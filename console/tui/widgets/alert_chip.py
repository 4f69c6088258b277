"""The header's alert chip: how many alerts fire on the host shown ('2 alerts' in the error
colour, 'no alerts' in green, 'alerts ?' when it cannot tell). Click or `6` opens the Alerts
screen. It reads the alerts feed in a thread worker, every few seconds."""

from __future__ import annotations

from textual.app import ScreenStackError
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from console.core.alerts.view import AlertsView


def chip_text(view: AlertsView | None, problem: str | None) -> tuple[str, str]:
    """(words, state) for the chip; the state picks the colour class."""
    if view is None or problem:
        return "alerts ?", "unknown"
    if view.firing:
        return f"{view.firing} alert{'s' if view.firing > 1 else ''}", "down"
    return "no alerts", "ok"


class AlertChip(Static):
    def __init__(self) -> None:
        super().__init__(Content("alerts ?"), classes="chip state-unknown", id="alert-chip")
        self._state = "unknown"
        self._shown: tuple[str, str] | None = None

    def on_mount(self) -> None:
        every = max(2.0, self.app.settings.refresh_dashboard)  # type: ignore[attr-defined]
        self.set_interval(every, self.refresh_count, name="alert-chip")
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        # Not before the first frame (the app's on_ready asks then): the feed's first read
        # loads SQLAlchemy in its thread, which would hold the GIL while that frame renders.
        if self.app.poller.first_frame_out:  # type: ignore[attr-defined]
            self.refresh_count()

    def _screen_changed(self, screen: Screen) -> None:
        if screen is self.screen and self.app.poller.first_frame_out:  # type: ignore[attr-defined]
            self.refresh_count()  # back on top: the count it missed while hidden

    def refresh_count(self) -> None:
        feed = getattr(self.app.feeds, "alerts", None)  # type: ignore[attr-defined]
        if feed is None or not self._on_top():
            return  # a chip on a screen below the top one is not seen: it reads on show
        host = self.app.model.host  # type: ignore[attr-defined]
        self.run_worker(
            lambda: feed.view(host),
            group="alert-chip",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _on_top(self) -> bool:
        try:
            return self.app.screen is self.screen
        except ScreenStackError:  # between modes, or the app is closing
            return False

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "alert-chip" or event.state != WorkerState.SUCCESS:
            return
        view = event.worker.result
        now = self.app.clock()  # type: ignore[attr-defined]
        interval = self.app.settings.alerts_interval  # type: ignore[attr-defined]
        words, state = chip_text(view, view.stale(now, interval) if view else None)
        if (words, state) == self._shown:
            return  # unchanged: no layout pass every two seconds on every screen
        self._shown = (words, state)
        self.update(Content(words))
        self.remove_class(f"state-{self._state}")
        self.add_class(f"state-{state}")
        self._state = state
        self.tooltip = Content("alerts firing on this host (6 opens the Alerts screen)")

    def on_click(self) -> None:
        self.app.switch_mode("alerts")
