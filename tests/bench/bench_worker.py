"""Worker benchmarks (run apart: `python -m tests.bench.bench_worker REDIS_URL`).

1. CPU time of one full collection (system + queues + 50 processes) vs the same psutil calls bare.
2. Resident memory of the job path after 10 vs 1,000 accelerated cycles (collect, roll, store).
3. record_request single and batched vs a bare redis-py INCR and `redis-benchmark -t incr`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

import psutil
import redis

from console.core.report import Reporter
from console.core.settings import QueueSpec, Settings
from console.core.store.engine import make_engine, upgrade
from jobs.collection import collect_system_metrics
from jobs.collectors.system import real_mounts
from jobs.context import JobContext
from jobs.performance import reset_tps_counter, store_metrics
from tests.bench.common import Row, Stats, print_table, summarise, timed

RUNS = 7


def cpu(fn, runs: int = RUNS) -> Stats:
    fn()
    samples = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        samples.append(time.process_time() - start)
    return summarise(samples)


def processes(procs: list[psutil.Process]) -> None:
    for proc in procs:
        with proc.oneshot():
            proc.cpu_percent(None)
            proc.memory_info()


def bare_psutil(procs: list[psutil.Process]) -> None:
    psutil.cpu_percent(None)
    os.getloadavg()
    psutil.virtual_memory()
    psutil.swap_memory()
    for mount in real_mounts():
        psutil.disk_usage(mount)
    psutil.disk_io_counters()
    psutil.net_io_counters()
    len(psutil.pids())
    processes(procs)


def main(url: str) -> None:
    sleepers = [subprocess.Popen(["sleep", "600"]) for _ in range(50)]
    procs = [psutil.Process(p.pid) for p in sleepers]
    tmp = tempfile.mkdtemp()
    db = f"sqlite:///{tmp}/bench.db"
    upgrade(make_engine(db))
    queues = tuple(
        QueueSpec(f"q{i}", kind=k) for i, k in enumerate(("redis-list", "laravel", "rq"))
    )
    settings = Settings(host="bench", redis_url=url, database_url=db, queues=queues, data_dir=tmp)
    ctx = JobContext(settings)
    try:

        def ours() -> None:
            with ctx.lock:
                ctx.system.collect()
            from jobs.collectors.queues import collect_queues

            collect_queues(settings, ctx.redis, time.time())
            processes(procs)

        rows = [
            Row(
                "one collection, CPU",
                cpu(ours),
                cpu(lambda: bare_psutil(procs)),
                "same psutil calls bare",
                "≤ 1.3×",
                goal_ratio=1.3,
            ),
            Row(
                "one collection + cache + rows, CPU",
                cpu(lambda: collect_system_metrics(ctx)),
                cpu(lambda: bare_psutil(procs)),
                "same psutil calls bare",
                "(informative)",
            ),
        ]
        me = psutil.Process()
        for _ in range(10):
            collect_system_metrics(ctx), reset_tps_counter(ctx), store_metrics(ctx)
        rss10 = me.memory_info().rss / 2**20
        for _ in range(990):
            collect_system_metrics(ctx), reset_tps_counter(ctx), store_metrics(ctx)
        rss1000 = me.memory_info().rss / 2**20
        mem = summarise([rss1000])
        rows.append(
            Row(
                "RSS after 1,000 cycles",
                mem,
                summarise([rss10]),
                "after 10 cycles",
                "< 64 MB, flat",
                unit="MB",
            )
        )
        rep = Reporter(settings, ctx.cache)
        bare = redis.Redis.from_url(url)
        n = 1000
        rows += [
            Row(
                f"record_request × {n}",
                timed(lambda: [rep.record_request(5.0, 200) for _ in range(n)]),
                timed(lambda: [bare.incr("bench") for _ in range(n)]),
                "bare INCR × 1000",
                "≤ 1.5×",
            ),
            Row(
                f"record_requests batch of {n}",
                timed(lambda: rep.record_requests([(5.0, 200)] * n)),
                timed(lambda: [bare.incr("bench") for _ in range(n)]),
                "bare INCR × 1000",
                "≪ 1×",
            ),
        ]
        print_table("worker", rows)
        port = bare.connection_pool.connection_kwargs.get("port", 6379)
        out = subprocess.run(
            ["redis-benchmark", "-p", str(port), "-t", "incr", "-n", "20000", "-q"],
            capture_output=True,
            text=True,
            check=False,
        )
        print(
            f"\nredis-benchmark -t incr (pipelined clients, 50 conns): {out.stdout.strip()[-80:]}"
        )
    finally:
        for p in sleepers:
            p.kill()
        ctx.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "redis://127.0.0.1:6379/0")
