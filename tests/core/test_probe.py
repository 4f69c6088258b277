"""The header's light database check, on SQLite and PostgreSQL, without SQLAlchemy."""

from __future__ import annotations

from pathlib import Path

from console.core.store.engine import make_engine, upgrade
from console.core.store.probe import NO_SCHEMA, probe_store


def test_probe_says_missing_file_missing_schema_then_ok(database_url: str, tmp_path: Path) -> None:
    if database_url.startswith("sqlite"):
        assert probe_store(database_url) == (False, f"no database file at {tmp_path}/stackwatch.db")
        make_engine(database_url).connect().close()  # creates the empty file
    assert probe_store(database_url) == (False, NO_SCHEMA)
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    assert probe_store(database_url) == (True, "")


def test_probe_of_an_unreachable_postgres_is_one_line() -> None:
    ok, reason = probe_store("postgresql://nobody:secret@127.0.0.1:1/none", timeout=1)
    assert not ok and "127.0.0.1:1" in reason and "secret" not in reason and "\n" not in reason
