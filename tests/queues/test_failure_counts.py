"""One count of failed jobs: the queue table's column, the Failed tab, the 7-day tile, the CLI
and the dashboard's queue stats (through the worker) all show the same numbers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from huey import RedisHuey

from console.cli import main
from console.core import keys
from console.core.cache import open_cache
from console.core.report import instrument
from console.core.settings import QueueSpec, Settings
from console.core.store import ledger
from console.core.store.engine import make_engine
from jobs.collection import collect_system_metrics
from jobs.context import JobContext
from tests.queues.helpers import HOST, make_settings, queues_feed, spec

DAY = 86400.0


def _fail(settings: Settings, redis_url: str, times: int) -> None:
    """`times` failures of an instrumented huey task on queue "billing", left in the cache."""
    app = RedisHuey("billing-app", url=redis_url)

    @app.task()
    def charge(order: int) -> None:
        raise ValueError(f"declined {order}")

    instrument(app, settings=settings)
    for n in range(times):
        charge(n)
        app.execute(app.dequeue())


def _store_with_one_old(settings: Settings) -> None:
    """What store_metrics does, plus one failure 8 days old: held, but not in the 7-day tile."""
    cache = open_cache(settings)
    records = cache.drain(keys.job_failures(HOST))
    old = {**records[0], "ts": records[0]["ts"] - 8 * DAY, "task_id": "old-one"}
    ledger.record_failures(make_engine(settings.resolved_database_url), HOST, [*records, old])


@pytest.fixture
def settings(tmp_path: Path, redis_url: str) -> Settings:
    # shown as "billing", the huey app named "billing-app": failures are recorded by app name
    queues = (QueueSpec("billing", "huey", key="billing-app"), spec("reports", "huey"))
    return make_settings(tmp_path, redis_url, queues=queues, discover_queues=False)


def test_the_table_the_tab_and_the_tile_count_the_same_failures(
    settings: Settings, redis_url: str
) -> None:
    _fail(settings, redis_url, 2)
    _store_with_one_old(settings)
    _fail(settings, redis_url, 1)  # still waiting in the cache: counted too
    view = queues_feed(settings).load(HOST)
    failed = {line.name: line.failed for line in view.queues}
    assert failed == {"billing": 4, "reports": 0}  # huey keeps no count: ours stand in
    assert view.failed_total == 4 == len(view.failures)
    assert view.tiles is not None and view.tiles.failed_past_7d == 3


def test_the_cli_shows_the_screen_s_numbers(
    tmp_path: Path, settings: Settings, redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _fail(settings, redis_url, 2)
    config = tmp_path / "stackwatch.toml"
    config.write_text(
        f'host = "{HOST}"\nredis_url = "{redis_url}"\ndata_dir = "{tmp_path}"\n'
        f'database_url = "{settings.resolved_database_url}"\ndiscover_queues = false\n'
        '[[queue]]\nname = "billing"\nkind = "huey"\nkey = "billing-app"\n'
    )
    main(["--config", str(config), "queues", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert [(q["name"], q["failed"]) for q in data["queues"]] == [("billing", 2)]


def test_the_worker_publishes_them_for_the_dashboard(settings: Settings, redis_url: str) -> None:
    _fail(settings, redis_url, 1)
    _store_with_one_old(settings)
    ctx = JobContext(settings, engine=make_engine(settings.resolved_database_url))
    try:
        assert not collect_system_metrics(ctx, time.time()).errors
        queues = ctx.cache.get_latest("queue", HOST).payload["queues"]
    finally:
        ctx.close()
    assert {q["name"]: q["failed"] for q in queues} == {"billing": 2, "reports": 0}
