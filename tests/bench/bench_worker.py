"""Worker benchmarks (run apart): `python -m tests.bench.bench_worker [REDIS_URL] [--cycles N]`.

Without a URL a private redis-server is started on a free port (and stopped after).
1. CPU time of one full collection (system + 3 queues + 50 programs of a private supervisord) vs
   the same psutil calls and the bare getAllProcessInfo.
2. The real `stackwatch worker` process: RSS after 10 and after N accelerated cycles, idle CPU,
   beside a bare huey consumer (see worker_proc.py).
3. record_request single and batched vs a bare redis-py INCR and `redis-benchmark -t incr`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import psutil
import redis

from console.core.report import Reporter
from console.core.settings import QueueSpec, Settings, SupervisorEndpoint
from console.core.store.engine import make_engine, upgrade
from console.core.supervisor.resources import _ATTRS as PROCESS_ATTRS
from jobs.collection import collect_system_metrics
from jobs.collectors.processes import collect_processes
from jobs.collectors.queues import collect_queues
from jobs.collectors.system import real_mounts
from jobs.context import JobContext
from tests.bench import bench_processes, worker_proc
from tests.bench.common import Row, Stats, interleaved, print_table, private_redis, summarise

RUNS = 7


def cpu_interleaved(fns, runs: int = RUNS) -> list[Stats]:
    """CPU time of each fn, alternating runs."""
    for fn in fns:
        fn()
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, out in zip(fns, samples, strict=True):
            start = time.process_time()
            fn()
            out.append(time.process_time() - start)
    return [summarise(s) for s in samples]


def bare_calls(raw: Any) -> None:
    """What one collection asks of psutil and supervisord, without any of our code."""
    psutil.cpu_percent(None)
    os.getloadavg()
    psutil.virtual_memory()
    psutil.swap_memory()
    for mount in real_mounts():
        psutil.disk_usage(mount)
    psutil.disk_io_counters()
    psutil.net_if_stats()
    psutil.net_io_counters(pernic=True)
    len(psutil.pids())
    raw.supervisor.getAllProcessInfo()
    for proc in psutil.process_iter(PROCESS_ATTRS, ad_value=None):
        proc.info  # noqa: B018 - read, as the collector does


def collection_rows(url: str, runs: int, programs: int) -> list[Row]:
    tmp = tempfile.mkdtemp(prefix="stackwatch-bench-collect-")
    sv = bench_processes.start(Path(tmp), programs)
    db = f"sqlite:///{tmp}/bench.db"
    upgrade(make_engine(db))
    queues = tuple(
        QueueSpec(f"q{i}", kind=k) for i, k in enumerate(("redis-list", "laravel", "rq"))
    )
    settings = Settings(
        host="bench",
        redis_url=url,
        database_url=db,
        queues=queues,
        data_dir=tmp,
        supervisors=(SupervisorEndpoint("local", sv.url),),
    )
    ctx = JobContext(settings)
    raw = sv.rpc()
    try:

        def ours() -> None:
            with ctx.lock:
                ctx.system.collect()
            collect_queues(settings, ctx.redis, time.time())
            collect_processes(settings)

        collection, bare = cpu_interleaved([ours, lambda: bare_calls(raw)], runs)
        full, bare_again = cpu_interleaved(
            [lambda: collect_system_metrics(ctx), lambda: bare_calls(raw)], runs
        )
    finally:
        ctx.close()
        sv.stop()
    what = f"system + 3 queues + {programs} programs"
    return [
        Row(
            f"one collection ({what}), CPU",
            collection,
            bare,
            "same psutil and RPC calls bare",
            "≤ 1.3×",
            goal_ratio=1.3,
        ),
        Row(
            "the same + cache + rows (collect_system_metrics), CPU",
            full,
            bare_again,
            "same psutil and RPC calls bare",
            "(informative)",
        ),
    ]


def report_rows(url: str, runs: int) -> list[Row]:
    settings = Settings(host="bench", redis_url=url)
    rep = Reporter(settings)
    bare = redis.Redis.from_url(url)
    n = 1000
    # Round trips are at the mercy of the neighbours: more, alternating runs for this row.
    single, incr = interleaved(
        [
            lambda: [rep.record_request(5.0, 200) for _ in range(n)],
            lambda: [bare.incr("bench") for _ in range(n)],
        ],
        max(runs, 15),
    )
    batch = [(5.0, 200)] * n
    batched, incr_again = interleaved(
        [lambda: rep.record_requests(batch), lambda: [bare.incr("bench") for _ in range(n)]], runs
    )
    bare.flushdb()
    bare.close()
    rows = [
        Row(f"record_request × {n}", single, incr, f"bare INCR × {n}", "≤ 1.1×", goal_ratio=1.1),
        Row(
            f"record_requests, batch of {n}",
            batched,
            incr_again,
            f"bare INCR × {n}",
            f"≥ 50k/s: {n / batched.median:,.0f}/s",
        ),
    ]
    return rows


def redis_benchmark_line(url: str) -> str:
    port = redis.Redis.from_url(url).connection_pool.connection_kwargs.get("port", 6379)
    try:
        out = subprocess.run(
            ["redis-benchmark", "-p", str(port), "-t", "incr", "-n", "20000", "-q"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return "redis-benchmark: not installed here, row skipped"
    return f"redis-benchmark -t incr (50 connections): {out.stdout.strip()[-80:]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="Redis URL (default: a private redis-server)")
    parser.add_argument("--cycles", type=int, default=1000, help="worker cycles (default 1000)")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--programs", type=int, default=50, help="supervised programs")
    parser.add_argument("--idle", type=float, default=10.0, help="idle CPU window, s")
    args = parser.parse_args(argv)
    with nullcontext(args.url) if args.url else private_redis() as url:
        if url is None:
            print("\n## worker\n\nredis-server is not installed: every worker row skipped")
            return 0
        rows = collection_rows(url, args.runs, args.programs)
        rows += report_rows(url, args.runs)
        rows += worker_proc.measure(url, args.cycles, args.idle)
        print_table("worker", rows)
        print(f"\n{redis_benchmark_line(url)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
