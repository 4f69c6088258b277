"""A corrupt SQLite store (garbage written over the file) is a clean DOWN with its reason in
plain mode, doctor and the console's header, whether the last hour is read from the store or
from the cache's recent lists; never a traceback, never "db ok"."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from console.cli import main
from console.core import recent
from console.core.cache import open_cache
from console.core.settings import Settings
from console.core.store.engine import make_engine, upgrade
from console.tui.app import make_app
from tests.faults.outside_data import HOST, write_good
from tests.tui.test_dashboard_pilot import screen_text, sync, wait_for

REASON = "file is not a database"


def _corrupt_store(tmp_path: Path) -> str:
    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    path.write_bytes(b"garbage, not SQLite " * 400)
    return url


def _feed(redis_url: str, with_recent: bool) -> Settings:
    write_good(redis.Redis.from_url(redis_url))
    settings = Settings(host=HOST, redis_url=redis_url, refresh_dashboard=0.5)
    if with_recent:  # a current worker writes these: the dashboard then skips the store
        cache = open_cache(settings)
        now = time.time()
        for kind in ("health", "performance", "queue"):
            recent.push(cache, kind, HOST, {"ts": now, "cpu_percent": 5.0}, 60)
        cache.close()
    return settings


@pytest.mark.parametrize("with_recent", [False, True], ids=["store", "recent-lists"])
def test_plain_mode_and_doctor_say_db_down(redis_url, tmp_path, capsys, monkeypatch, with_recent):
    url = _corrupt_store(tmp_path)
    _feed(redis_url, with_recent)
    monkeypatch.setattr("console.commands.tui.has_terminal", lambda: False)
    flags = ["--host", HOST, "--redis-url", redis_url, "--database-url", url]
    assert main(flags) == 2
    out, err = capsys.readouterr()
    db_lines = [line for line in out.splitlines() if line.strip().startswith("db ")]
    assert len(db_lines) == 1 and "down" in db_lines[0] and REASON in db_lines[0], out
    assert "Traceback" not in out + err
    assert main([*flags, "doctor"]) == 1
    out, err = capsys.readouterr()
    assert any("FAIL" in line and REASON in line for line in out.splitlines()), out
    assert "the SQLite file is damaged" in out
    assert main([*flags, "--supervisor-url", "unix:///nonexistent.sock", "status"]) == 2
    out, err = capsys.readouterr()
    assert f"db DOWN — {REASON}" in out and "Traceback" not in out + err
    assert "Traceback" not in out + err


@sync
async def test_the_console_header_says_db_down(redis_url, tmp_path) -> None:
    url = _corrupt_store(tmp_path)
    settings = _feed(redis_url, with_recent=True)
    app = make_app(replace(settings, database_url=url))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "db DOWN" in screen_text(app), 10.0)
        assert REASON in app.model.state("database").reason
        assert app.is_running and app.return_code is None
