"""The header's alert chip costs nothing while unseen or unchanged: the Logs screen following a
chatty program shares the frame budget with it."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from textual.worker import WorkerState

from console.tui.widgets.alert_chip import AlertChip
from tests.alerts.test_alerts_screen import FixedAlerts, _loaded, alerts_app
from tests.support.waits import until


class CountingAlerts(FixedAlerts):
    reads = 0

    def view(self, host: str):
        self.reads += 1
        return super().view(host)


def test_an_unchanged_count_is_not_redrawn_and_a_hidden_chip_does_not_read() -> None:
    asyncio.run(_test_quiet_chip())


async def _test_quiet_chip() -> None:
    app = alerts_app()
    feed = CountingAlerts(app.feeds.alerts.fixed)
    app.feeds = replace(app.feeds, alerts=feed)
    async with app.run_test(size=(120, 30)) as pilot:
        await _loaded(pilot)
        chip = app.screen.query_one(AlertChip)
        shown = chip.render()
        reads = feed.reads
        chip.refresh_count()
        await until(pilot, lambda: feed.reads > reads)
        await until(
            pilot,
            lambda: all(w.state == WorkerState.SUCCESS for w in chip.workers._workers),
        )
        await pilot.pause()
        assert chip.render() is shown  # the same words: no update, no layout pass
        await app.switch_mode("logs")
        await pilot.pause()
        reads = feed.reads
        chip.refresh_count()  # the alerts screen's chip, now under the logs screen
        await pilot.pause()
        assert feed.reads == reads
