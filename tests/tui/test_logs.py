"""The logs screen: hostile content is shown, never obeyed; actions through keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

from console.core.settings import LogFileSpec, Settings
from console.tui.app import make_app
from console.tui.screens.logs import LogsScreen
from console.tui.widgets.log_view import LogView

HOSTILE = (
    b"clear \x1b[2J\x1b[H screen\n"
    b"title \x1b]0;pwned\x07 set\n"
    b"clip \x1b]52;c;cm0gLXJmIC8=\x07 board\n"
    b"link \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ here\n"
    b"csi8 \x9b31m red \xc2\x9b2J c1\n"
    b"markup [bold]bold[/bold] [@click=app.quit]quit[/] lone [/] [link=http://x]l[/link]\n"
    b"nul \x00 del \x7f bell \x07 cr \r mid\n"
    b"bad utf8 \xff\xfe\xc3\x28 end\n"
)
FORBIDDEN = ["\x1b", "\x9b", "\x07", "\x00", "\x7f", "\x9d", "\r"]


def app_for(tmp_path: Path, content: bytes):
    log = tmp_path / "app.log"
    log.write_bytes(content)
    settings = Settings(log_files=(LogFileSpec("app", str(log)),), data_dir=str(tmp_path))
    return make_app(settings), log


async def wait_for(pilot, condition, tries: int = 100) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never met")


def view_of(app) -> LogView:
    return app.screen.query_one("#pane-1 LogView", LogView)


def test_hostile_lines_are_shown_not_obeyed(tmp_path: Path) -> None:
    asyncio.run(_test_hostile_lines_are_shown_not_obeyed(tmp_path))


async def _test_hostile_lines_are_shown_not_obeyed(tmp_path: Path) -> None:
    app, log = app_for(tmp_path, HOSTILE)
    async with app.run_test(size=(160, 30)) as pilot:
        await app.switch_mode("logs")
        await wait_for(pilot, lambda: len(view_of(app).lines) >= 8)
        view = view_of(app)
        with open(log, "ab") as handle:  # a 10 MB line with no newline, while following
            handle.write(b"\x1b[31m" + b"A" * 10_000_000)
        await wait_for(pilot, lambda: view.partial is not None and "bytes]" in view.partial)
        rendered = [view.render_line(y) for y in range(view.size.height)]
        text = "".join(segment.text for strip in rendered for segment in strip)
        for byte in FORBIDDEN:
            assert byte not in text
        assert "[bold]bold[/bold] [@click=app.quit]quit[/] lone [/]" in text
        for strip in rendered:
            for segment in strip:
                style = segment.style
                assert style is None or (not style.link and "@click" not in str(style.meta))
                assert style is None or not style.bold or "markup" not in segment.text
        svg = app.export_screenshot()
        assert not any(byte in svg for byte in FORBIDDEN)
        assert len(view.partial or "") < 9000  # capped, not 10 MB
        await pilot.press("w")  # the app still answers keys
        await wait_for(pilot, lambda: view.wrap)
        assert app.is_running


def test_follow_pause_search_filter_and_modes(tmp_path: Path) -> None:
    asyncio.run(_test_follow_pause_search_filter_and_modes(tmp_path))


async def _test_follow_pause_search_filter_and_modes(tmp_path: Path) -> None:
    lines = b"".join(b"2024-01-01 INFO worker: job %d done\n" % i for i in range(300))
    lines += b'2024-01-01 ERROR worker: job failed\n{"event": "x", "n": 1}\n'
    app, log = app_for(tmp_path, lines)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.switch_mode("logs")
        view = view_of(app)
        await wait_for(pilot, lambda: len(view.lines) == 302)
        with open(log, "a") as handle:
            handle.write("fresh line\n")
        await wait_for(pilot, lambda: view.lines[-1].text == "fresh line")
        # following keeps the end in view (once the layout has applied the new height)
        await wait_for(pilot, lambda: view.scroll_y == view.max_scroll_y)

        await pilot.press("p")
        with open(log, "a") as handle:
            handle.write("while paused\n")
        await pilot.pause(0.3)
        assert view.lines[-1].text == "fresh line"
        await pilot.press("p")
        await wait_for(pilot, lambda: view.lines[-1].text == "while paused")

        await pilot.press("slash", *"job 17 ", "enter")
        await wait_for(pilot, lambda: view.current is not None)
        assert "job 17 done" in view.rows[view.current].text
        await pilot.press("f", *"/job \\d+0 /", "enter")
        await wait_for(pilot, lambda: view.filter_query is not None and len(view.rows) < 40)
        assert all("0 done" in row.text for row in view.rows if not row.line.marker)
        await pilot.press("x", "E")
        await wait_for(
            pilot, lambda: [r.text for r in view.rows] == ["2024-01-01 ERROR worker: job failed"]
        )
        await pilot.press("x", "j")
        await wait_for(pilot, lambda: any(r.text == '  "event": "x",' for r in view.rows))
        await pilot.press("g")
        await wait_for(pilot, lambda: view.rows[0].text.endswith("job 0 done"))
        await pilot.press("G")
        await wait_for(pilot, lambda: view.rows[-1].text == "while paused")
        await pilot.press("v")
        await wait_for(pilot, lambda: not app.screen.query_one("#pane-2").has_class("hidden"))


def test_show_program_with_unknown_endpoint_says_so(tmp_path: Path) -> None:
    asyncio.run(_test_show_program_with_unknown_endpoint_says_so(tmp_path))


async def _test_show_program_with_unknown_endpoint_says_so(tmp_path: Path) -> None:
    app, _ = app_for(tmp_path, b"x\n")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.switch_mode("logs")
        screen = app.screen
        assert isinstance(screen, LogsScreen)
        await wait_for(pilot, lambda: screen._loaded)
        screen.show_program("nowhere", "web", "stderr")
        view = view_of(app)
        await wait_for(pilot, lambda: screen.pane.note is not None)
        assert "no supervisord named 'nowhere'" in (screen.pane.note or "")
        assert view.lines == type(view.lines)(maxlen=view.lines.maxlen)


def test_a_long_filter_shows_progress_first_matches_at_once_and_esc_stops_it(
    tmp_path: Path,
) -> None:
    asyncio.run(_test_long_filter(tmp_path))


async def _test_long_filter(tmp_path: Path) -> None:
    from console.core.logs.workers import shared_pool
    from console.tui.widgets.log_pane import LogPane

    body = b"".join(b"2024-01-01 10:00:00 INFO worker: job %d done\n" % i for i in range(300_000))
    tail = b"2024-01-01 10:00:01 ERROR worker: job failed near the end\n"
    app, _ = app_for(tmp_path, b"2024-01-01 09:00:00 ERROR at the top\n" + body + tail)
    pool = shared_pool()
    pool.lock.acquire()  # the worker processes are busy: the scan cannot pass its first segment
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await app.switch_mode("logs")
            view = view_of(app)
            pane = app.screen.query_one("#pane-1", LogPane)
            await wait_for(pilot, lambda: len(view.lines) > 100)
            await pilot.press("f", *"ERROR", "enter")
            # The newest match is on screen at once, while the scan goes on, with its progress.
            await wait_for(pilot, lambda: any("near the end" in r.text for r in view.rows))
            await wait_for(pilot, lambda: pane.status.display, tries=300)
            assert "esc stops" in pane.status.text and "1 match" in pane.status.text
            await pilot.press("w")  # the pane answers keys during the scan
            await wait_for(pilot, lambda: view.wrap)
            await app.switch_mode("dashboard")  # and other screens are there
            await app.switch_mode("logs")
            await pilot.press("escape")
            await wait_for(pilot, lambda: pane.status.stopped)
            assert "stopped" in pane.status.text
            assert any("near the end" in r.text for r in view.rows)
            assert not any("at the top" in r.text for r in view.rows)
    finally:
        pool.lock.release()


def test_a_preset_is_a_filter_the_user_can_read_and_edit(tmp_path: Path) -> None:
    asyncio.run(_test_preset_edit(tmp_path))


async def _test_preset_edit(tmp_path: Path) -> None:
    from textual.widgets import Input

    from console.core.logs.search import PRESETS
    from console.tui.widgets.log_pane import LogPane

    lines = b'{"level":"error","msg":"json"}\nlevel=error msg=logfmt\nINFO fine\n'
    lines += b"Traceback (most recent call last):\n  File \"a.py\", line 1\nKeyError: 'k'\n"
    app, _ = app_for(tmp_path, lines)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.switch_mode("logs")
        view = view_of(app)
        pane = app.screen.query_one("#pane-1", LogPane)
        await wait_for(pilot, lambda: len(view.lines) == 6)
        await pilot.press("E")
        await wait_for(pilot, lambda: len(view.rows) == 5)
        assert [r.text for r in view.rows] == [
            '{"level":"error","msg":"json"}',
            "level=error msg=logfmt",
            "Traceback (most recent call last):",  # the whole traceback, as one match
            '  File "a.py", line 1',
            "KeyError: 'k'",
        ]
        title = str(pane.query_one(".log-title").render())
        assert "errors preset" in title
        await pilot.press("f")
        box = app.screen.query_one("#log-input", Input)
        assert box.value == f"/{PRESETS['errors']}/"
        box.value = "/level=error/"
        await pilot.press("enter")
        await wait_for(pilot, lambda: [r.text for r in view.rows] == ["level=error msg=logfmt"])


def test_several_logs_read_as_one_in_the_screen(tmp_path: Path) -> None:
    asyncio.run(_test_merged_screen(tmp_path))


async def _test_merged_screen(tmp_path: Path) -> None:
    a = tmp_path / "web.log"
    a.write_text("2024-05-01 10:00:00 INFO a1\n2024-05-01 10:00:02 ERROR a2\n  frame of a2\n")
    b = tmp_path / "api.log"
    b.write_text("2024-05-01 10:00:01 INFO b1\n2024-05-01 10:00:03 ERROR b2\n")
    specs = (LogFileSpec("web", str(a)), LogFileSpec("api", str(b)))
    app = make_app(Settings(log_files=specs, data_dir=str(tmp_path)))
    async with app.run_test(size=(120, 30)) as pilot:
        await app.switch_mode("logs")
        view = view_of(app)
        await wait_for(pilot, lambda: len(view.lines) == 3)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "LogSourcePicker")
        await pilot.press("space", "down", "space", "enter")
        expected = [
            (0, "2024-05-01 10:00:00 INFO a1"),
            (1, "2024-05-01 10:00:01 INFO b1"),
            (0, "2024-05-01 10:00:02 ERROR a2"),
            (0, "  frame of a2"),
            (1, "2024-05-01 10:00:03 ERROR b2"),
        ]
        await wait_for(pilot, lambda: [(x.source, x.text) for x in view.lines] == expected)
        first = "".join(segment.text for segment in view.render_line(0))
        assert first.startswith("web │ 2024-05-01 10:00:00 INFO a1")
        with open(b, "a") as handle:
            handle.write("2024-05-01 10:00:04 INFO b3\n")
        await wait_for(pilot, lambda: view.lines[-1].text.endswith("b3"))
        await pilot.press("f", *"ERROR", "enter")
        await wait_for(
            pilot,
            lambda: (
                [r.text for r in view.rows]
                == ["2024-05-01 10:00:02 ERROR a2", "2024-05-01 10:00:03 ERROR b2"]
            ),
        )
