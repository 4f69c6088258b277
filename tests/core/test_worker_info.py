"""The worker publishes what it runs with its heartbeat; consoles read it back and judge by it."""

from __future__ import annotations

from pathlib import Path

from console.core.feeds import build_feeds
from console.core.settings import Settings
from console.core.worker_info import parse_worker_info, safe_zone
from jobs.collection import collect_system_metrics
from jobs.context import JobContext


def test_a_collection_publishes_the_workers_table_and_the_console_reads_it(
    redis_url: str, tmp_path: Path
) -> None:
    common = {"host": "web-1", "redis_url": redis_url, "data_dir": str(tmp_path)}
    worker = Settings(**common, collect_interval=7, store_interval=35, timezone="Europe/Paris")
    ctx = JobContext(worker)
    collect_system_metrics(ctx)
    ctx.close()
    console = Settings(**common)  # the console's own intervals: 60 and 300
    feeds = build_feeds(console)
    reading = feeds.dashboard.read_cache("web-1")
    feeds.close()
    info = reading.worker
    assert info is not None and info.collect_interval == 7 and info.store_interval == 35
    assert info.timezone == "Europe/Paris" and info.started is not None and info.version
    assert reading.collect_interval(60.0) == 7.0
    by_name = {s.name: s for s in info.schedule}
    assert by_name["collect_system_metrics"].every == 7
    assert by_name["store_metrics"].every == 35 and by_name["store_metrics"].retries == 3
    assert by_name["cleanup_old_metrics"].daily_hour == worker.cleanup_hour


def test_foreign_heartbeats_become_what_fits_never_an_exception() -> None:
    junk = {
        "collect_interval": "60",
        "store_interval": float("nan"),
        "timezone": "Mars/Olympus\x1b[2J",
        "version": 5,
        "schedule": [
            {"name": "[b]x[/b]", "every": 60, "retries": True},
            {"name": "both", "every": 60, "daily_hour": 3},
            {"name": "neither"},
            "not a row",
            {"every": 60},
            {"name": "late", "daily_hour": 99},
        ],
    }
    info = parse_worker_info(junk, 1.0)
    assert info.collect_interval is None and info.store_interval is None and info.version is None
    assert [s.name for s in info.schedule] == ["[b]x[/b]"] and info.schedule[0].retries == 0
    assert "\x1b" not in (info.timezone or "") and safe_zone(info.timezone or "") == "UTC"
    assert parse_worker_info(None, 2.0).schedule == () and info.interval(60.0) == 60.0


def test_the_header_judges_the_worker_by_its_own_interval() -> None:
    from console.core.feeds.dashboard import CacheReading
    from console.core.sources import OK, STALE
    from console.core.worker_info import WorkerInfo
    from console.tui.state.model import WORKER, fold_cache, initial_model

    now = 1_780_000_000.0
    model = initial_model(Settings(host="web-1"), "web-1")  # the console's interval: 60 s
    slow = WorkerInfo(ts=now - 300, collect_interval=600)  # a worker that beats every 10 min
    reading = CacheReading(True, "", "web-1", now, heartbeat_ts=now - 300, worker=slow)
    judged = fold_cache(model, reading, reading.collect_interval(60.0))
    assert judged.state(WORKER).status == OK
    unknown = CacheReading(True, "", "web-1", now, heartbeat_ts=now - 300)
    assert fold_cache(model, unknown, unknown.collect_interval(60.0)).state(WORKER).status == STALE
