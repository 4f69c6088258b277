"""`stackwatch doctor` on an embedded store reads it through sqlite3 (no SQLAlchemy import):
each check says what the SQLAlchemy path says, on a real store."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from console.core.doctor_database import check_database
from console.core.metrics import SystemHealth
from console.core.settings import Settings
from console.core.store import light, queries
from console.core.store.engine import make_engine, upgrade
from console.core.store.job_run import JobRun
from console.core.store.ledger import last_runs, record_runs
from console.core.store.writes import write_health

HOST = "web-1"
NOW = time.time()


def _store(tmp_path: Path) -> Settings:
    settings = Settings(host=HOST, data_dir=str(tmp_path), database_url=None)
    engine = make_engine(settings.resolved_database_url)
    try:
        upgrade(engine)
        write_health(engine, [SystemHealth(HOST, NOW - 60 * i, cpu_percent=5.0) for i in range(3)])
        record_runs(
            engine,
            [
                JobRun(HOST, "collect_system_metrics", NOW - 120, 12.0, "ok"),
                JobRun(HOST, "collect_system_metrics", NOW - 60, 11.0, "error", "boom"),
                JobRun(HOST, "store_metrics", NOW - 300, 40.0, "ok"),
                JobRun("other", "store_metrics", NOW - 10, 40.0, "ok"),
            ],
        )
    finally:
        engine.dispose()
    return settings


def test_each_read_answers_as_the_store_modules_do(tmp_path: Path) -> None:
    settings = _store(tmp_path)
    path = light.plain_sqlite_path(settings.resolved_database_url)
    assert path is not None
    engine = make_engine(settings.resolved_database_url)
    try:
        with light.opened(path) as conn:
            for table in light.TIME_COLUMNS:
                assert light.latest_bucket(conn, table) == queries.latest_bucket(engine, table)
            assert light.last_runs(conn, HOST) == last_runs(engine, HOST)
            assert [r.outcome for r in light.last_runs(conn, HOST)] == ["error", "ok"]
    finally:
        engine.dispose()


def test_doctor_s_database_checks_match_with_and_without_sqlalchemy(tmp_path: Path) -> None:
    settings = _store(tmp_path)
    lite = list(check_database(settings, NOW, None, light=True))
    full = list(check_database(settings, NOW, None, light=False))
    assert lite == full
    assert [c.name for c in lite][:2] == ["schema", "system_health_metrics"]


def test_a_store_without_schema_or_file_says_upgrade(tmp_path: Path) -> None:
    missing = Settings(host=HOST, data_dir=str(tmp_path / "nothing"))
    lite = list(check_database(missing, NOW, None))
    assert not Path(missing.resolved_database_url.removeprefix("sqlite:///")).exists()
    empty = Settings(host=HOST, data_dir=str(tmp_path))
    sqlite3.connect(tmp_path / "stackwatch.db").close()
    assert (
        lite
        == list(check_database(empty, NOW, None))
        == list(check_database(empty, NOW, None, light=False))
    )
    assert "no stackwatch schema" in lite[0].detail


def test_the_command_loads_no_sql_toolkit(tmp_path: Path) -> None:
    _store(tmp_path)
    config = tmp_path / "stackwatch.toml"
    config.write_text(f'host = "{HOST}"\ndata_dir = "{tmp_path}"\n')
    code = (
        "import json, sys; sys.argv = ['stackwatch', '--config', sys.argv[1], 'doctor'];"
        "from console.cli import main; code = main();"
        "print(json.dumps(sorted(m for m in ('sqlalchemy', 'alembic', 'textual', 'psycopg')"
        " if sys.modules.get(m))), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(config)], capture_output=True, text=True, timeout=60
    )
    assert "schema: current" in done.stdout
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
