"""Whatever the umask, the data dir is 0700 and the store, cache and broker files (with their
-wal and -shm) are 0600; so is the demo's directory."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.cli import main
from console.core.cache.sqlite_cache import SqliteCache
from console.core.hueys import worker_huey
from console.core.settings import Settings
from console.core.store.engine import make_engine, upgrade
from console.demo.stack import DemoConfig, DemoStack


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_cache_and_broker_files_are_private(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "new" / "data"  # neither exists yet
    settings = Settings(host="h", data_dir=str(data))
    engine = make_engine(settings.resolved_database_url)
    cache = SqliteCache(settings.cache_path)
    huey = worker_huey(settings)
    try:
        upgrade(engine)
        with engine.connect() as conn:  # holds the store's -wal/-shm open while we look
            conn.exec_driver_sql("select 1")
            cache.put_latest("health", "h", {"ts": 1.0})
            huey.enqueue(huey.task()(print).s("x"))
            files = sorted(p.name for p in data.iterdir())
            assert {"stackwatch.db", "cache.db", "huey.db"} <= set(files)
            assert any(name.endswith("-wal") for name in files)
            for name in files:
                assert mode(data / name) == 0o600, f"{name}: {oct(mode(data / name))}"
    finally:
        cache.close()
        engine.dispose()
    assert mode(data) == 0o700
    assert mode(data.parent) == 0o700  # created by us too


def test_an_existing_data_dir_is_tightened(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    cache = SqliteCache(data / "cache.db")
    try:
        cache.put_latest("health", "h", {"ts": 1.0})
    finally:
        cache.close()
    assert mode(data) == 0o700 and mode(data / "cache.db") == 0o600


def test_the_demo_directory_is_private(tmp_path: Path, umask: int) -> None:
    root = tmp_path / "demo"
    DemoStack(DemoConfig(root=root, redis_url=None), seed_history=False).prepare()
    assert mode(root) == 0o700 and mode(root / "logs") == 0o700
    assert mode(root / "stackwatch.db") == 0o600


def test_a_data_dir_that_cannot_be_made_is_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("STACKWATCH_DATA_DIR", str(tmp_path / "a-file" / "data"))
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    target = tmp_path / "a-file" / "data" / "stackwatch.db"
    assert err.startswith("stackwatch: ") and err.count("\n") == 1
    assert "Not a directory" in err and str(target.parent) in err
