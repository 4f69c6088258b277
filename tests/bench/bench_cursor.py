"""The time cursor: jump a 1 GiB log to a timestamp (bisection), and the dashboard feed at a
cursor one month back on a year of stored data.

    .venv/bin/python -m tests.bench.bench_cursor [--size-mb 1024] [--runs 20] [--days 365]

The log and the store are built once in the temp dir and reused by later runs (building
them takes a minute). Reference for the jump: reading the file from the start to the same
line, on the same file (what a tool without bisection does), measured once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path

from tests.bench.common import Row, print_table, summarise

ROOT = Path(tempfile.gettempdir()) / "stackwatch-bench-cursor"
T0 = 1_767_225_600  # 2026-01-01 00:00 UTC: the log's first line
HOST = "bench-host"
QUEUES = ("default", "emails", "reports")


def build_log(path: Path, size: int) -> tuple[float, float]:
    """A Python-logging style log with a traceback now and then; (first, last) time."""
    if path.exists() and path.stat().st_size >= size:
        return T0, _last_time(path)
    tmp = path.with_suffix(".part")
    rng = random.Random(1)
    ts, written = float(T0), 0
    with tmp.open("wb", buffering=1 << 20) as f:
        while written < size:
            chunk = []
            for _ in range(20_000):
                ts += rng.random() * 0.2
                stamp = dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
                chunk.append(f"{stamp},{int(ts * 1000) % 1000:03d} INFO app.jobs job done id=")
                chunk.append(f"{rng.randrange(10**9)} took {rng.randrange(900)}ms\n")
                if rng.random() < 0.01:
                    chunk.append('Traceback (most recent call last):\n  File "x.py", line 3\n')
            data = "".join(chunk).encode()
            f.write(data)
            written += len(data)
    tmp.rename(path)
    return T0, _last_time(path)


def _last_time(path: Path) -> float:
    from console.core.logs.stamps import line_time

    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 65536))
        lines = f.read().splitlines()
    return next(t for line in reversed(lines) if (t := line_time(line, dt.UTC)) is not None)


def bench_jump(size_mb: int, runs: int) -> list[Row]:
    from console.core.logs.timejump import first_at

    ROOT.mkdir(exist_ok=True)
    path = ROOT / f"app-{size_mb}m.log"
    first, last = build_log(path, size_mb << 20)
    rng = random.Random(2)
    targets = [first + rng.random() * (last - first) for _ in range(runs)]
    fd = os.open(path, os.O_RDONLY)
    try:
        samples = []
        first_at(fd, targets[0], tz=dt.UTC)  # warm the code, not the file
        for at in targets:
            start = time.perf_counter()
            first_at(fd, at, tz=dt.UTC)
            samples.append(time.perf_counter() - start)
        offset = first_at(fd, targets[0], tz=dt.UTC)
    finally:
        os.close(fd)
    start = time.perf_counter()
    with path.open("rb") as f:  # the reference: read from the start up to that line
        left = offset
        while left > 0 and (block := f.read(min(1 << 20, left))):
            left -= len(block)
    scan = time.perf_counter() - start
    return [
        Row(
            f"jump a {size_mb} MiB log to a time ({runs} random times)",
            summarise(samples),
            summarise([scan]),
            "read from the start to that line",
            "< 50 ms",
        )
    ]


def build_store(url: str, days: int) -> None:
    """`days` of minute rows (health, 3 queues) and 5-minute performance rows, rolled up."""
    from sqlalchemy import insert

    from console.core.store import queries
    from console.core.store.engine import make_engine, upgrade, writing
    from console.core.store.models import PerformanceRow, QueueRow, SystemHealthRow

    engine = make_engine(url)
    upgrade(engine)
    end = int(time.time()) // 3600 * 3600
    start = end - days * 86400
    for day in range(start, end, 86400):
        minutes = range(day, day + 86400, 60)
        health = [
            {"host": HOST, "bucket": t, "resolution_s": 60, "cpu_percent": t % 97, "load1": 1.0}
            for t in minutes
        ]
        queues = [
            {"host": HOST, "bucket": t, "resolution_s": 60, "queue": q, "kind": "redis-list",
             "pending": t % 50, "failed": 0}
            for t in minutes for q in QUEUES
        ]  # fmt: skip
        perf = [
            {"host": HOST, "bucket": t, "resolution_s": 300, "requests": 100, "rps_avg": 1.5}
            for t in range(day, day + 86400, 300)
        ]
        with writing(engine) as conn:
            conn.execute(insert(SystemHealthRow), health)
            conn.execute(insert(QueueRow), queues)
            conn.execute(insert(PerformanceRow), perf)
    queries.rollup(engine, before=end, after=start)
    engine.dispose()


def bench_dashboard(days: int, runs: int) -> list[Row]:
    from console.core.feeds import build_feeds
    from console.core.settings import Settings

    ROOT.mkdir(exist_ok=True)
    db = ROOT / f"store-{days}d.db"
    url = f"sqlite:///{db}"
    if not db.exists():  # built under another name: a killed build is never reused
        part = db.with_suffix(".part")
        part.unlink(missing_ok=True)
        build_store(f"sqlite:///{part}", days)
        part.rename(db)
    settings = Settings(host=HOST, database_url=url, data_dir=str(ROOT / "data"))
    feeds = build_feeds(settings)
    now = time.time()
    rng = random.Random(3)
    samples = []
    try:
        for _ in range(runs + 1):
            at = now - 30 * 86400 + rng.random() * 3600
            start = time.perf_counter()
            cache = feeds.dashboard.read_cache(HOST, as_of=at)
            metrics = (
                "health.cpu_percent",
                "health.load1",
                *(f"queue.{q}.pending" for q in QUEUES),
            )
            feeds.dashboard.read_history(HOST, metrics, 30, as_of=at)
            feeds.dashboard.read_chart(HOST, "health.cpu_percent", 86400, 120, as_of=at)
            samples.append(time.perf_counter() - start)
            assert cache.ok and cache.health is not None, cache
    finally:
        feeds.close()
    return [
        Row(
            f"dashboard feed at a cursor 30 days back, {days} days of minute rows"
            " (values + 5 sparklines + 24h chart)",
            summarise(samples[1:]),
            None,
            "none",
            "answer well under a poll (2 s)",
        )
    ]


def bench_render(days: int, runs: int) -> list[Row]:
    """The console itself: from setting the cursor to the panels and the chart drawn."""
    import asyncio

    from console.core.feeds import build_feeds
    from console.core.settings import Settings
    from console.tui.app import make_app
    from console.tui.widgets.chart_panel import ChartPanel

    url = f"sqlite:///{ROOT / f'store-{days}d.db'}"
    settings = Settings(host=HOST, database_url=url, data_dir=str(ROOT / "data"))
    app = make_app(settings, build_feeds(settings))
    samples: list[float] = []

    def drawn(at: float) -> bool:
        model = app.shown_model()
        chart = app.screen.query_one(ChartPanel)._drawn
        return model.past and chart is not None and chart.as_of == at

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(1.0)
            for i in range(runs + 1):
                at = time.time() - 30 * 86400 - i * 3600
                start = time.perf_counter()
                app.set_cursor(at)
                while not drawn(at):
                    await pilot.pause(0.005)
                samples.append(time.perf_counter() - start)

    asyncio.run(body())
    return [
        Row(
            f"console at a cursor 30 days back, {days} days of rows: set → panels and chart drawn",
            summarise(samples[1:]),
            None,
            "none",
            "< 1 s",
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)
    rows = bench_jump(args.size_mb, args.runs) + bench_dashboard(args.days, args.runs)
    rows += bench_render(args.days, min(args.runs, 10))
    print_table("time cursor", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
