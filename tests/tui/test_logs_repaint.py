"""Following a chatty log repaints what changed: rows already styled are not styled again."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App, ComposeResult

from console.core.logs.lines import LogLine
from console.tui.widgets.log_view import LogView
from tests.support.waits import until
from tests.tui.test_logs import app_for, view_of


def test_a_new_line_keeps_the_strips_of_the_lines_on_screen(tmp_path: Path) -> None:
    asyncio.run(_test_a_new_line_keeps_the_strips(tmp_path))


async def _test_a_new_line_keeps_the_strips(tmp_path: Path) -> None:
    lines = b"".join(b"2024-01-01 INFO line %d ERROR maybe\n" % i for i in range(40))
    app, log = app_for(tmp_path, lines)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.switch_mode("logs")
        await until(pilot, lambda: len(view_of(app).rows) == 40)
        view = view_of(app)
        await pilot.pause()
        before = {view.rows[view.scroll_offset.y + y].text: view.render_line(y) for y in range(5)}
        with open(log, "ab") as handle:
            handle.write(b"2024-01-01 INFO a new line\n")
        await until(pilot, lambda: view.rows[-1].text == "2024-01-01 INFO a new line")
        await pilot.pause()
        after = {view.rows[view.scroll_offset.y + y].text: view.render_line(y) for y in range(5)}
        kept = [text for text in before.keys() & after.keys() if before[text] is after[text]]
        assert len(kept) == 4  # the view scrolled by one: four of the five rows were reused


class RingApp(App):
    CSS = "LogView { height: 1fr; }"

    def __init__(self, max_lines: int = 10) -> None:
        super().__init__()
        self.max_lines = max_lines

    def compose(self) -> ComposeResult:
        yield LogView(max_lines=self.max_lines)


def test_lines_leaving_the_ring_do_not_rebuild_the_rows() -> None:
    asyncio.run(_test_lines_leaving_the_ring())


async def _test_lines_leaving_the_ring() -> None:
    app = RingApp()
    async with app.run_test(size=(80, 20)):
        view = app.query_one(LogView)
        view.set_lines(tuple(LogLine(f"line {i}") for i in range(10)), "tail")
        kept = view.rows[5]
        view.append((LogLine("line 10"), LogLine("line 11")), None)
        assert [row.text for row in view.rows] == [f"line {i}" for i in range(2, 12)]
        assert view.rows[3] is kept  # the same row: moved up, not rebuilt


def test_following_scrolls_with_the_append_so_one_frame_shows_both() -> None:
    asyncio.run(_test_scrolls_with_the_append())


async def _test_scrolls_with_the_append() -> None:
    app = RingApp(max_lines=100)
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.query_one(LogView)
        await pilot.pause()
        view.set_lines(tuple(LogLine(f"line {i}") for i in range(30)), None)
        await pilot.pause()
        at_end = view.scroll_offset.y
        view.append((LogLine("one more"), LogLine("and another")), None)
        # no frame in between: the new size and the new scroll position are painted together
        assert view.scroll_offset.y == view.max_scroll_y == at_end + 2
