"""What the console reads in the console benchmark: an hour of history, latest values written
every 2 s and a history row each minute as the worker would, and a log that grows."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path


def _samples(now: float, i: int):
    from console.core.metrics import (
        DiskUsage,
        PerformanceSnapshot,
        QueueDepth,
        QueueSnapshot,
        SystemHealth,
    )

    health = SystemHealth(
        "bench",
        now,
        cpu_percent=20 + i % 30,
        mem_percent=50 + i % 10,
        load1=0.5,
        cpu_count=4,
        swap_percent=1.0,
        disks=(DiskUsage("/", 100 * 2**30, 40 * 2**30, 40.0),),
        net_rx_bps=1000.0 * (i % 50),
        net_tx_bps=500.0,
    )
    queues = QueueSnapshot(
        "bench",
        now,
        (
            QueueDepth("default", "redis-list", pending=i % 17, failed=0),
            QueueDepth("mail", "redis-list", pending=i % 5, failed=1),
        ),
    )
    perf = PerformanceSnapshot(
        "bench",
        now,
        rps_now=float(i % 40),
        rps_avg=10.0 + i % 7,
        latency_p95_ms=120.0 + i % 13,
        jobs_processed=100 + i,
        jobs_failed=i % 3,
    )
    return health, queues, perf


def seed_history(settings) -> None:
    """An hour of minute rows, so the sparklines and the chart have something to draw."""
    from console.core.store.engine import make_engine
    from console.core.store.writes import write_health, write_performance, write_queues

    engine = make_engine(settings.resolved_database_url)
    now = time.time()
    for minute in range(60, 0, -1):
        health, queues, perf = _samples(now - 60 * minute, minute)
        write_health(engine, [health])
        write_queues(engine, queues)
        if minute % 5 == 0:
            write_performance(engine, perf)
    engine.dispose()
    from console.core.cache import open_cache

    cache = open_cache(settings)
    for minute in range(90, 0, -1):
        push_recent(cache, now - 60 * minute, minute)
    cache.close()


def push_recent(cache, ts: float, i: int) -> None:
    """The worker's recent lists (one sample per collection, a minute apart)."""
    from console.core import recent

    health, queues, perf = _samples(ts, i)
    recent.push(cache, "health", "bench", recent.health_sample(health), 60)
    recent.push(cache, "queue", "bench", recent.queue_sample(queues), 60)
    sample = recent.perf_sample(ts, {"rps_avg": perf.rps_avg, "jobs_processed": 10 + i % 4})
    recent.push(cache, "performance", "bench", sample, 60)


def put_latest(cache, i: int) -> None:
    from console.core.metrics import to_payload

    health, queues, perf = _samples(time.time(), i)
    cache.put_latest("health", "bench", to_payload(health))
    cache.put_latest("queue", "bench", to_payload(queues))
    cache.put_latest("performance", "bench", to_payload(perf))
    cache.beat("bench", {})


def feed(settings, stop: threading.Event) -> None:
    """Fresh latest values every 2 s and a history row each minute, as the worker would."""
    from console.core.cache import open_cache
    from console.core.store.engine import make_engine
    from console.core.store.writes import write_health, write_queues

    cache, engine = open_cache(settings), make_engine(settings.resolved_database_url)
    i, minute = 0, int(time.time() // 60)
    while not stop.is_set():
        i += 1
        put_latest(cache, i)
        if int(time.time() // 60) != minute:
            minute = int(time.time() // 60)
            health, queues, _ = _samples(time.time(), i)
            write_health(engine, [health])
            write_queues(engine, queues)
            push_recent(cache, time.time(), i)
        stop.wait(2.0)
    cache.close()
    engine.dispose()


def append_log(path: Path, stop: threading.Event, per_second: float = 5.0) -> None:
    """A program that logs `per_second` lines a second (five by default)."""
    with path.open("a") as out:
        i = 0
        while not stop.is_set():
            i += 1
            out.write(f"{time.strftime('%H:%M:%S')} INFO worker processed job {i} in 12 ms\n")
            out.flush()
            stop.wait(1 / per_second)


def prepare(work: Path) -> dict[str, str]:
    """Settings file, store, cache and a long log; the environment for the console."""
    log = work / "app.log"
    with log.open("w") as out:
        for i in range(20_000):
            out.write(f"00:00:00 INFO earlier line {i} " + "x" * 80 + "\n")
    (work / "stackwatch.toml").write_text(f'[[log]]\nname = "app"\npath = "{log}"\n')
    env = {
        "TERM": "xterm-256color",
        "STACKWATCH_CONFIG": str(work / "stackwatch.toml"),
        "STACKWATCH_DATA_DIR": str(work),
        "STACKWATCH_HOST": "bench",
        "STACKWATCH_REFRESH_DASHBOARD": "2",
        "HOME": os.environ.get("HOME", "/tmp"),
        "PATH": os.environ["PATH"],
    }
    subprocess.run(
        [sys.executable, "-m", "console", "db", "upgrade"],
        env={**os.environ, **env},
        capture_output=True,
        check=True,
        cwd=work,
    )
    return env
