"""The base of every screen that polls: reads in a thread worker, shows on the event loop.

- Polls never overlap: the next starts only when the last has returned (or failed);
  `poll_soon()` asks for one more right after the one running.
- Polls wait while a modal covers the screen or another screen is shown, and catch up when
  the screen is on top again.
- Nothing here ends the app: a read or an action that raises is logged and announced as a
  notice (`!` shows the traceback), and the next poll happens on schedule.
- One read-only gate: the actions in MUTATING are hidden from keys, footer and palette, and
  refused if called anyway; at a past time (the time cursor) they are refused with a notice.
- One confirmation flow: `confirm_then` asks once, or twice when the action hits many targets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.events import ScreenResume
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from console.tui.screens.confirm import Confirmation

PAST_REFUSED = "looking at a past time; press 0 to go back to live"

POLL = "poll"
ACTION = "action"


class PolledScreen(Screen):
    """Subclasses give `poll_interval`, `fetch` (a thread) and `show` (the event loop)."""

    MUTATING: ClassVar[frozenset[str]] = frozenset()

    def __init__(self) -> None:
        super().__init__()
        self._polling = False
        self._again = False  # poll once more as soon as the running poll returns
        self.deferred = 0  # polls put off because the screen was covered
        self._done: dict[Worker, tuple[Callable[[Any], None], Callable[[], None] | None]] = {}

    # --- what a subclass fills in ---------------------------------------------------------

    def poll_interval(self) -> float:
        """Seconds between polls."""
        raise NotImplementedError

    def fetch(self) -> Any:
        """Read the screen's data; runs in a thread worker, may block, touches no widget."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        """Show what `fetch` returned; runs on the event loop."""
        raise NotImplementedError

    # --- polling -------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Runs after the subclass's own `on_mount` (Textual calls both, subclass first)."""
        self.set_interval(self.poll_interval(), self.poll_now, name="poll")
        cursor_signal = getattr(self.app, "cursor_signal", None)
        if cursor_signal is not None:  # the time cursor moved: show that time at once
            cursor_signal.subscribe(self, lambda _at: self.poll_soon())
        self.poll_now()

    def poll_now(self) -> None:
        """Start a poll unless one is running or the screen is covered."""
        if self._polling:
            return
        if not self.is_active:
            self.deferred += 1
            self._again = True  # caught up by `_resumed` when the screen is on top again
            return
        self._again = False
        self._polling = True
        self.run_worker(self.fetch, name="poll", group=POLL, thread=True, exit_on_error=False)

    def poll_soon(self) -> None:
        """Poll now, or right after the running poll (after an action, say)."""
        if self._polling:
            self._again = True
        else:
            self.poll_now()

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self._again:
            self.poll_now()

    # --- blocking actions ----------------------------------------------------------------

    def run_blocking(
        self,
        call: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[], None] | None = None,
    ) -> None:
        """Run `call` in a thread worker, then `done(result)` on the event loop; a raise is
        reported like a failed poll, then `failed()`."""
        worker = self.run_worker(
            call, name="action", group=ACTION, thread=True, exit_on_error=False
        )
        self._done[worker] = (done, failed)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker, state = event.worker, event.state
        if state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        if worker.group == POLL:
            self._polling = False
            self._finish(worker, self.show, None, "reading")
            if self._again:
                self.poll_now()
        elif worker in self._done:
            done, failed = self._done.pop(worker)
            self._finish(worker, done, failed, "an action")

    def _finish(
        self,
        worker: Worker,
        done: Callable[[Any], None],
        failed: Callable[[], None] | None,
        what: str,
    ) -> None:
        if worker.state == WorkerState.SUCCESS:
            self.guarded(what, done, worker.result)
            return
        if worker.error is not None:
            self.record_failure(what, worker.error)
        if failed is not None:
            self.guarded(what, failed)

    def guarded(self, what: str, call: Callable[..., None], *args: Any) -> None:
        """Run `call` on the event loop; an unexpected error is reported, not raised: this is
        where a screen's failure stops, so the app and the other screens go on."""
        try:
            call(*args)
        except Exception as error:
            self.record_failure(what, error)

    def record_failure(self, what: str, error: BaseException) -> None:
        where = f"{type(self).__name__.removesuffix('Screen')}: {what}"
        record = getattr(self.app, "record_failure", None)
        if record is not None:
            record(where, error)

    # --- read-only gate ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MUTATING and self.app.settings.read_only:  # type: ignore[attr-defined]
            return False  # hidden from footer and palette, and the key does nothing
        return True

    def refused(self, action: str) -> bool:
        """True (and says so) when read-only mode or the time cursor forbids `action`."""
        if action in self.MUTATING and self.app.settings.read_only:  # type: ignore[attr-defined]
            self.notify(f"read-only: {action} refused", severity="warning", markup=False)
            return True
        if action in self.MUTATING and self.in_past:
            self.notify(f"{action} refused: {PAST_REFUSED}", severity="warning", markup=False)
            return True
        return False

    @property
    def in_past(self) -> bool:
        """The time cursor is on a past time: what is shown is history, not now."""
        return getattr(self.app, "cursor", None) is not None

    # --- confirmation --------------------------------------------------------------------

    def confirm_then(
        self,
        ask: Confirmation,
        run: Callable[[], None],
        cancelled: Callable[[], None] | None = None,
    ) -> None:
        """Ask; ask again when `ask.twice`; then `run()`, or `cancelled()` on any no."""

        def answered(second: bool) -> Callable[[bool | None], None]:
            def decided(ok: bool | None) -> None:
                if not ok:
                    if cancelled is not None:
                        cancelled()
                elif ask.twice and not second:
                    self.app.push_screen(ask.second(), answered(True))
                else:
                    run()

            return decided

        self.app.push_screen(ask.first(), answered(False))
