"""`stackwatch queues` imports only what it reads with: no Textual, no SQLAlchemy (the embedded
store is counted through sqlite3), no psycopg (huey would load it for nothing), and still shows
the numbers the Queues screen shows."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.core.errors import SourceUnavailable
from console.core.queues.failure_counts import stored_counts, stored_counts_sqlite
from console.core.settings import QueueSpec, Settings
from console.core.store.engine import make_engine
from console.core.store.light import plain_sqlite_path
from tests.queues.helpers import HOST, make_settings, spec
from tests.queues.test_failure_counts import _fail, _store_with_one_old

UNUSED = ("textual", "sqlalchemy", "psycopg", "psutil", "apprise", "re2", "plotext")
RUN = """
import json, sys
sys.argv = ["stackwatch", *sys.argv[2:]]
from console.cli import main
code = main()
with open(OUT, "w") as out:
    json.dump({"code": code, "modules": sorted(n for n, m in sys.modules.items() if m)}, out)
"""


@pytest.fixture
def settings(tmp_path: Path, redis_url: str) -> Settings:
    queues = (QueueSpec("billing", "huey", key="billing-app"), spec("reports", "huey"))
    return make_settings(tmp_path, redis_url, queues=queues, discover_queues=False)


def _config(tmp_path: Path, settings: Settings, redis_url: str) -> Path:
    config = tmp_path / "stackwatch.toml"
    config.write_text(
        f'host = "{HOST}"\nredis_url = "{redis_url}"\ndata_dir = "{tmp_path}"\n'
        f'database_url = "{settings.resolved_database_url}"\ndiscover_queues = false\n'
        '[[queue]]\nname = "billing"\nkind = "huey"\nkey = "billing-app"\n'
    )
    return config


def test_the_command_loads_no_ui_and_no_sql_toolkit(
    tmp_path: Path, settings: Settings, redis_url: str
) -> None:
    _fail(settings, redis_url, 2)
    _store_with_one_old(settings)  # three stored (one 8 days old)
    _fail(settings, redis_url, 1)  # and one still waiting in the cache
    out = tmp_path / "run.json"
    code = RUN.replace("OUT", repr(str(out)))
    argv = ["--config", str(_config(tmp_path, settings, redis_url)), "queues", "--json"]
    done = subprocess.run(
        [sys.executable, "-c", code, "-", *argv], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [(q["name"], q["failed"]) for q in data["queues"]] == [("billing", 4)]
    modules = json.loads(out.read_text())["modules"]
    loaded = sorted({m.split(".")[0] for m in modules} & set(UNUSED))
    assert loaded == []


def test_sqlite3_counts_what_the_store_s_query_counts(settings: Settings, redis_url: str) -> None:
    _fail(settings, redis_url, 2)
    _store_with_one_old(settings)
    url = settings.resolved_database_url
    path = plain_sqlite_path(url)
    assert path is not None
    now = time.time()
    engine = make_engine(url)
    try:
        expected = stored_counts(engine, HOST, now)
    finally:
        engine.dispose()
    found = stored_counts_sqlite(path, HOST, now)
    assert found == expected
    assert dict(found.by_queue) == {"billing-app": 3} and found.past_7d == 2


def test_a_missing_store_is_unavailable_and_stays_missing(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with pytest.raises(SourceUnavailable):
        stored_counts_sqlite(str(missing), HOST, time.time())
    assert not missing.exists()


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:////var/lib/sw.db", "/var/lib/sw.db"),
        ("sqlite:///rel/sw.db", "rel/sw.db"),
        ("sqlite:///:memory:", None),
        ("sqlite:///sw.db?timeout=3", None),
        ("postgresql://u@db/sw", None),
    ],
)
def test_only_a_plain_sqlite_file_takes_the_light_path(url: str, path: str | None) -> None:
    assert plain_sqlite_path(url) == path
