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
