"""What keeps the console cheap to leave open: ages tick without layout passes, a poll that
brings nothing new changes nothing, the worker's age moves with the 1 Hz tick."""

from __future__ import annotations

from dataclasses import replace

from console.core.feeds.dashboard import CacheReading
from console.core.sources import DOWN, OK, STALE
from console.tui.app import make_app
from console.tui.widgets.dash_age import AgeLabel
from console.tui.widgets.status_model import (
    CACHE,
    WORKER,
    age_worker,
    fold_cache,
    initial_model,
)
from tests.tui import dash_data
from tests.tui.dash_data import HOST, NOW
from tests.tui.test_dashboard_pilot import sync, wait_for


def _reading(polled_at: float, beat: float | None = NOW - 20) -> CacheReading:
    return CacheReading(True, "", HOST, polled_at, dash_data.health(), None, None, beat, (HOST,))


def test_a_poll_with_the_same_beat_keeps_the_worker_state() -> None:
    settings = dash_data.settings()
    first = fold_cache(initial_model(settings, HOST), _reading(NOW), 60)
    again = fold_cache(first, _reading(NOW + 2), 60)
    assert again.state(WORKER) == first.state(WORKER)
    newer = fold_cache(again, _reading(NOW + 4, beat=NOW + 3), 60)
    assert newer.state(WORKER).reason == "1 s"


def test_the_tick_ages_the_worker_and_marks_it_stale() -> None:
    model = fold_cache(initial_model(dash_data.settings(), HOST), _reading(NOW), 60)
    assert model.state(WORKER).reason == "20 s"
    assert age_worker(model, NOW + 0.5, 60) is model  # same words: same model, no repaint
    later = age_worker(model, NOW + 5, 60)
    assert (later.state(WORKER).status, later.state(WORKER).reason) == (OK, "25 s")
    late = age_worker(model, NOW + 200, 60)
    assert late.state(WORKER).status == STALE


def test_the_worker_age_is_kept_while_the_cache_is_down() -> None:
    model = fold_cache(initial_model(dash_data.settings(), HOST), _reading(NOW), 60)
    down = fold_cache(model, CacheReading(False, "refused", HOST, NOW + 2), 60)
    assert down.state(CACHE).status == DOWN
    assert age_worker(down, NOW + 500, 60) is down


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@sync
async def test_ages_tick_without_layout_passes() -> None:
    clock = Clock()
    settings = dash_data.settings()
    app = make_app(settings, dash_data.feeds(settings), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.model.history is not None)
        screen = app.screen
        await pilot.pause(0.2)
        reflows = []
        original = screen._compositor.reflow
        screen._compositor.reflow = lambda *a: reflows.append(1) or original(*a)
        ages = list(screen.query(AgeLabel))
        for step in range(1, 4):
            clock.now = NOW + step
            app._tick()
            await pilot.pause(0.05)
        assert "updated 15 s ago" in str(ages[0].render())  # the data were 12 s old at NOW
        assert app.model.state(WORKER).reason == "23 s"
        assert reflows == [], "an age tick caused a layout pass of the whole screen"


def test_fold_cache_ignores_a_reading_for_another_host() -> None:
    model = initial_model(dash_data.settings(), HOST)
    other = replace(_reading(NOW), host="elsewhere")
    assert fold_cache(model, other, 60) is model
