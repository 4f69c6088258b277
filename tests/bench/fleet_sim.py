"""Simulated hosts for the fleet benchmark: each writes what a worker writes, through the same
functions, once per collection (a minute): latest values, heartbeat, recent lists, the process
list and summary (when the fleet code is there), and its rows (health, queues, the job ledger,
performance every five minutes)."""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any

from console import __version__
from console.core import keys, recent
from console.core.metrics import (
    DiskUsage,
    PerformanceSnapshot,
    QueueDepth,
    QueueSnapshot,
    SystemHealth,
    to_payload,
)
from console.core.store import ledger, writes
from console.core.store.engine import make_engine
from console.core.supervisor.models import EndpointStatus, ProcessesSnapshot, ProcessInfo

PROGRAMS = 8  # a web server, a few queue workers, a scheduler, the stackwatch worker
QUEUES = ("default", "mail")
STARTED = time.time()


def fleet_code() -> Any:
    """The fleet modules (publish, feed) when they are in this checkout, else None."""
    try:
        from console.core.feeds import fleet as feed
        from console.core.fleet import published, summary
    except ImportError:
        return None
    return type("Fleet", (), {"feed": feed, "published": published, "summary": summary})


def samples(host: str, now: float, i: int) -> tuple[SystemHealth, QueueSnapshot]:
    health = SystemHealth(
        host,
        now,
        cpu_percent=20.0 + i % 30,
        load1=0.5,
        cpu_count=4,
        mem_percent=50.0 + i % 10,
        mem_used=3 * 2**30,
        swap_percent=1.0,
        disks=(DiskUsage("/", 100 * 2**30, 40 * 2**30, 40.0),),
        net_rx_bps=1000.0 * (i % 50),
        net_tx_bps=500.0,
        process_count=180 + i % 7,
    )
    queues = QueueSnapshot(
        host,
        now,
        tuple(QueueDepth(q, "redis-list", pending=(i * 7) % 17, failed=0) for q in QUEUES),
    )
    return health, queues


def processes(host: str, now: float) -> ProcessesSnapshot:
    names = ["web", "scheduler", "stackwatch-worker"] + [f"queue_{n}" for n in range(5)]
    procs = tuple(
        ProcessInfo(
            "local",
            name if not name.startswith("queue_") else "queue",
            name,
            20,
            "RUNNING",
            pid=1000 + n,
            start=int(STARTED),
            now=int(now),
            description=f"pid {1000 + n}, uptime 1:00:00",
            stdout_logfile=f"/var/log/app/{name}.log",
            stderr_logfile=f"/var/log/app/{name}.err.log",
            cpu_percent=1.5,
            memory_rss=80 * 2**20,
        )
        for n, name in enumerate(names[:PROGRAMS])
    )
    return ProcessesSnapshot(host, now, procs, (EndpointStatus("local", "unix:///run/sv.sock"),))


def heartbeat(now: float, template: dict[str, Any] | None = None) -> dict[str, Any]:
    """What collect_system_metrics beats: a real worker's beat (`template`: its published
    settings and schedule table) with this collection's time, else a smaller stand-in."""
    if template:
        return {k: v for k, v in template.items() if k != "ts"} | {"collected": now}
    return {
        "pid": os.getpid(),
        "version": __version__,
        "started": STARTED,
        "collected": now,
        "collect_interval": 60,
        "store_interval": 300,
        "read_only": False,
        "queues": list(QUEUES),
        "store": {"status": "ok", "since": STARTED, "buffered": 0, "reason": ""},
    }


def write_cache(
    cache: Any, redis: Any, fleet: Any, host: str, now: float, i: int, beat: Any = None
) -> None:
    """One collection's cache writes, call for call as the worker makes them."""
    health, queues = samples(host, now, i)
    cache.put_latest("health", host, to_payload(health))
    cache.put_latest("queue", host, to_payload(queues))
    cache.beat(host, heartbeat(now, beat))
    recent.push(cache, "health", host, recent.health_sample(health), 60)
    recent.push(cache, "queue", host, recent.queue_sample(queues), 60)
    if fleet is not None:
        snapshot = processes(host, now)
        pipe = redis.pipeline(transaction=False)
        pipe.set(keys.fleet_processes(host), fleet.published.processes_payload(snapshot))
        summary = fleet.summary.summary_payload(host, now, health, queues, snapshot, "ok", False)
        pipe.hset(keys.FLEET_SUMMARY, host, summary)
        pipe.execute()


def fill_recent(cache: Any, host: str, now: float) -> None:
    """The recent lists as a worker that has run 90 minutes leaves them (steady-state memory)."""
    for minute in range(keys.recent_maxlen(60), 0, -1):
        health, queues = samples(host, now - 60 * minute, minute)
        recent.push(cache, "health", host, recent.health_sample(health), 60)
        recent.push(cache, "queue", host, recent.queue_sample(queues), 60)
        perf = {"rps_avg": 12.0, "jobs_processed": 10 + minute % 4}
        recent.push(cache, "performance", host, recent.perf_sample(now, perf), 60)


def write_rows(engine: Any, host: str, now: float, i: int) -> None:
    """One minute of rows: health, queues, the ledger's runs; performance every fifth minute."""
    health, queues = samples(host, now, i)
    writes.write_health(engine, [health])
    writes.write_queues(engine, queues)
    runs = [
        ledger.JobRun(host, "collect_system_metrics", now, 35.0, "ok", None),
        ledger.JobRun(host, "reset_tps_counter", now + 0.5, 4.0, "ok", None),
    ]
    if i % 5 == 0:
        perf = PerformanceSnapshot(host, now, rps_avg=12.0, latency_p95_ms=130.0)
        writes.write_performance(engine, perf)
        runs.append(ledger.JobRun(host, "store_metrics", now + 1, 20.0, "ok", None))
    ledger.record_runs(engine, runs)


class Simulator:
    """Simulated hosts writing cache and rows at the real rate, each at its own second."""

    def __init__(self, redis_url: str, db_url: str, fleet: Any) -> None:
        from console.core.cache.redis_cache import RedisCache

        self.cache = RedisCache(redis_url)
        self.redis = self.cache.client
        self.engine = make_engine(db_url)
        self.fleet = fleet
        self.beat: dict[str, Any] | None = None  # a real worker's heartbeat, as the template
        self.hosts: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def add(self, count: int) -> None:
        """New hosts arrive as after 90 minutes of running: recent lists full, one collection."""
        now = time.time()
        for _ in range(count):
            host = f"sim-{len(self.hosts):04d}"
            fill_recent(self.cache, host, now)
            write_cache(self.cache, self.redis, self.fleet, host, now, 0, self.beat)
            self.hosts.append(host)

    def wait_for_real_beat(self, timeout: float = 90) -> None:
        """The first real worker's heartbeat (its schedule table makes it the largest entry)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            raw = self.redis.hget(keys.HEARTBEAT, "real-0")
            if raw is not None:
                self.beat = json.loads(raw)
                return
            time.sleep(0.5)
        print("the real workers did not beat: simulated hosts beat a smaller stand-in")

    def _run(self) -> None:
        minute = 0
        while not self.stop.is_set():
            start = time.time()
            hosts = list(self.hosts)
            for n, host in enumerate(hosts):
                due = start + 60 * n / max(1, len(hosts))
                if self.stop.wait(max(0.0, due - time.time())):
                    return
                now = time.time()
                write_cache(self.cache, self.redis, self.fleet, host, now, n, self.beat)
                write_rows(self.engine, host, time.time(), minute)
            minute += 1
            self.stop.wait(max(0.0, start + 60 - time.time()))

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)
        self.engine.dispose()
        self.cache.close()
