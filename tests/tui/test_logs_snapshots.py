"""Snapshots of the logs screen with a fixed file, at 80x24, 100x30 and 200x50."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.settings import LogFileSpec, Settings
from console.tui.app import make_app
from console.tui.widgets.log_view import LogView
from tests.tui import dash_data

LINES = [
    "2024-05-01 10:00:00,001 INFO app.web: GET /health 200 1ms",
    "2024-05-01 10:00:01,002 WARNING app.web: slow request GET /report 2412ms",
    "[2024-05-01 10:00:02,003] ERROR:huey:Worker-1:Unhandled exception in task send_mail",
    "Traceback (most recent call last):",
    '  File "/srv/app/tasks.py", line 12, in send_mail',
    "ConnectionRefusedError: [Errno 111] Connection refused",
    "[2024-05-01 10:00:04] production.ERROR: SQLSTATE[HY000] connection refused",
    '{"event": "job.done", "queue": "default", "ms": 15}',
    "escape \x1b]0;title\x07 and [bold]markup[/bold] stay visible",
]


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (200, 50)], ids=["80x24", "100x30", "200x50"]
)
def test_logs_screen_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    log = tmp_path / "app.log"
    body = [f"2024-05-01 09:59:{i:02d},000 INFO app.web: request {i}" for i in range(40)]
    log.write_text("\n".join(body + LINES) + "\n")
    settings = Settings(
        host="snap", log_files=(LogFileSpec("app.log", str(log)),), data_dir=str(tmp_path)
    )
    app = make_app(settings, **dash_data.steady(settings))

    async def ready(pilot) -> None:
        await app.switch_mode("logs")
        for _ in range(200):
            views = app.screen.query(LogView)
            view = views.first() if views else None
            loaded = view is not None and len(view.lines) == len(body) + len(LINES)
            if loaded and view.max_scroll_y > 0 and view.scroll_y == view.max_scroll_y:
                break
            await pilot.pause(0.02)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)
