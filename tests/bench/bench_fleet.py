"""The fleet at 10, 50 and 200 hosts: 3 real workers plus simulated hosts on one Redis and one
PostgreSQL, each simulated host writing what a worker writes, once a minute, spread over it.

    .venv/bin/python -m tests.bench.bench_fleet [--full] [--hosts 10,50,200] [--pg URL]

Reports, for each fleet size: the fleet feed's poll time (one poll = every host) and the
console's CPU polling it every 2 s, in a process of its own (without the fleet feed in this
checkout: the dashboard's per-host reads over every host instead); Redis memory per host (the
slope between sizes, recent lists full as after 90 minutes). Then PostgreSQL rows and bytes per
host-day (minutes of simulated hosts stored, sizes from pg_total_relation_size) and the time to
store one minute of 200 hosts (one after the other, as one worker each would).
Default: 20 s of polling per size; --full: 120 s (two collections of the real workers).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, text

from console.core import keys
from console.core.store.engine import make_engine, upgrade
from tests.bench import fleet_sim
from tests.bench.common import private_redis

REAL_WORKERS = 3
TABLES = ("system_health_metrics", "queue_metrics", "performance_metrics", "job_runs")


@contextmanager
def temp_postgres(admin_url: str) -> Iterator[str | None]:
    """A throw-away database on the local PostgreSQL (its URL), or None when none answers."""
    name = f"stackwatch_fleet_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as exc:
        print(f"PostgreSQL not available ({type(exc).__name__}): SQLite instead")
        admin.dispose()
        yield None
        return
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def start_workers(redis_url: str, db_url: str, tmp: str) -> list[subprocess.Popen]:
    procs = []
    for n in range(REAL_WORKERS):
        env = {k: v for k, v in os.environ.items() if not k.startswith("STACKWATCH_")}
        env |= {
            "STACKWATCH_REDIS_URL": redis_url,
            "STACKWATCH_DATABASE_URL": db_url,
            "STACKWATCH_DATA_DIR": f"{tmp}/w{n}",
            "STACKWATCH_HOST": f"real-{n}",
            "XDG_CONFIG_HOME": f"{tmp}/w{n}",
        }
        os.makedirs(f"{tmp}/w{n}", exist_ok=True)
        argv = [sys.executable, "-m", "console", "worker"]
        out = open(f"{tmp}/w{n}/worker.log", "wb")
        procs.append(subprocess.Popen(argv, env=env, cwd=tmp, stdout=out, stderr=out))
    return procs


def console_poll(redis_url: str, seconds: float, mode: str) -> dict[str, Any]:
    argv = [sys.executable, "-m", "tests.bench.fleet_console", redis_url, str(seconds), "2", mode]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"the console poller failed: {done.stderr.strip()[-300:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def redis_bytes(redis: Any) -> int:
    return int(redis.info("memory")["used_memory"])


def redis_counters(redis: Any) -> tuple[float, int, float]:
    """(monotonic time, commands processed, Redis CPU seconds) to take differences of."""
    info = redis.info()
    cpu = float(info["used_cpu_sys"]) + float(info["used_cpu_user"])
    return time.monotonic(), int(info["total_commands_processed"]), cpu


def rates(before: tuple[float, int, float], after: tuple[float, int, float]) -> tuple[float, float]:
    """Commands per second and Redis CPU (% of a core) between two counters."""
    seconds = max(1e-9, after[0] - before[0])
    return (after[1] - before[1]) / seconds, (after[2] - before[2]) / seconds * 100


def idle_workers(redis: Any, seconds: float) -> None:
    """What the real workers alone cost Redis between collections (huey polling its queue)."""
    before = redis_counters(redis)
    time.sleep(seconds)
    ops, cpu = rates(before, redis_counters(redis))
    print(
        f"{REAL_WORKERS} real workers alone: {ops:.1f} Redis commands/s "
        f"({ops / REAL_WORKERS:.1f} per worker), Redis CPU {cpu:.2f} %"
    )


def fleet_sizes(args: argparse.Namespace, redis_url: str, db_url: str, fleet: Any) -> None:
    mode = "fleet" if fleet is not None else "dashboard"
    sim = fleet_sim.Simulator(redis_url, db_url, fleet)
    print(f"\nconsole poll every 2 s, mode {mode}, {args.seconds:g} s per size; load {_load()}")
    print(
        f"{'hosts':>6} {'poll median':>12} {'poll max':>9} {'console CPU':>12} {'Redis/host':>11}"
        f" {'Redis cmd/s':>12} {'Redis CPU':>10}"
    )
    last: tuple[int, int] | None = None
    try:
        sim.wait_for_real_beat()
        idle_workers(sim.redis, min(30.0, args.seconds))
        sim.thread.start()
        for size in args.hosts:
            sim.add(max(0, size - REAL_WORKERS - len(sim.hosts)))
            memory = redis_bytes(sim.redis)
            before = redis_counters(sim.redis)
            out = console_poll(redis_url, args.seconds, mode)
            ops, redis_cpu = rates(before, redis_counters(sim.redis))
            poll = statistics.median(out["times"]) * 1e3
            cpu = out["cpu_s"] / out["seconds"] * 100
            per_host = "" if last is None else f"{(memory - last[1]) / (size - last[0]):,.0f} B"
            last = (size, memory)
            print(
                f"{out['rows']:>6} {poll:>9.1f} ms {max(out['times']) * 1e3:>6.1f} ms "
                f"{cpu:>10.2f} % {per_host:>11} {ops:>12.0f} {redis_cpu:>8.2f} %",
                flush=True,
            )
        if fleet is not None:
            beats = sim.redis.hgetall(keys.HEARTBEAT).values()
            summaries = sim.redis.hgetall(keys.FLEET_SUMMARY).values()
            read = sum(map(len, beats)) + sum(map(len, summaries))
            print(
                f"  one fleet poll reads {read / 1e3:.0f} kB: per host a heartbeat of "
                f"{sum(map(len, beats)) / max(1, len(beats)):.0f} B and a summary of "
                f"{sum(map(len, summaries)) / max(1, len(summaries)):.0f} B"
            )
            from tests.bench.fleet_tui import real_console

            tmp = tempfile.mkdtemp(prefix="stackwatch-bench-tui-")
            used = real_console(redis_url, db_url, tmp, max(60, int(args.seconds)))
            if used is not None:
                print(
                    f"  the real console on its Fleet screen (tmux 200x50), {size} hosts: "
                    f"CPU {used.cpu_whole:.2f} % (slices {used.cpu.show('%')}), "
                    f"RSS max {used.rss_max:.0f} MB",
                    flush=True,
                )
        if fleet is not None and args.full:
            out = console_poll(redis_url, args.seconds, "dashboard")
            poll = statistics.median(out["times"]) * 1e3
            print(f"  for comparison, dashboard reads of every host: {poll:.1f} ms per poll")
    finally:
        sim.close()


def rows_per_host_day(db_url: str, hosts: int, minutes: int) -> None:
    """Store `minutes` of `hosts` simulated hosts in a fresh schema; scale to a host-day."""
    engine = make_engine(db_url)
    before = _table_sizes(engine)
    t0 = time.time() // 86400 * 86400 - 86400
    for minute in range(minutes):
        for n in range(hosts):
            fleet_sim.write_rows(engine, f"day-{n:03d}", t0 + minute * 60 + n * 0.1, minute)
    after = _table_sizes(engine)
    scale = 1440 / minutes / hosts
    print(f"\nrows and bytes per host-day ({hosts} hosts x {minutes} min stored, scaled;")
    print("bytes per row: each table's whole size, indexes included, over its rows):")
    total_rows = total_bytes = 0.0
    for table in TABLES:
        rows = (after[table][0] - before[table][0]) * scale
        per_row = after[table][1] / max(1, after[table][0])
        total_rows, total_bytes = total_rows + rows, total_bytes + rows * per_row
        print(
            f"  {table:<22} {rows:>8,.0f} rows x {per_row:>4.0f} B = {rows * per_row / 1e6:.2f} MB"
        )
    print(f"  {'all':<22} {total_rows:>8,.0f} rows          {total_bytes / 1e6:.2f} MB")
    engine.dispose()


def store_one_minute(db_url: str, hosts: int) -> None:
    engine = make_engine(db_url)
    now = time.time()
    started = time.perf_counter()
    for n in range(hosts):
        fleet_sim.write_rows(engine, f"minute-{n:03d}", now + n * 0.1, 5)
    took = time.perf_counter() - started
    print(
        f"\none minute of {hosts} hosts stored in {took:.2f} s ({took / hosts * 1e3:.1f} ms/host)"
    )
    engine.dispose()


def _table_sizes(engine: Any) -> dict[str, tuple[int, int]]:
    out = {}
    with engine.connect() as conn:
        for table in TABLES:
            rows = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            if engine.dialect.name == "postgresql":
                size = conn.execute(text(f"SELECT pg_total_relation_size('{table}')")).scalar_one()
            else:
                size = conn.execute(
                    text("SELECT SUM(pgsize) FROM dbstat WHERE name = :t OR tbl_name = :t"),
                    {"t": table},
                ).scalar_one()
            out[table] = (int(rows), int(size or 0))
    return out


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="120 s per size, more rows")
    parser.add_argument("--hosts", default="10,50,200", help="fleet sizes, comma-separated")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    try:
        args.hosts = sorted(int(h) for h in args.hosts.split(","))
    except ValueError:
        parser.error("--hosts takes numbers, e.g. 10,50,200")
    args.seconds = 120.0 if args.full else 20.0
    fleet = fleet_sim.fleet_code()
    with private_redis() as redis_url, temp_postgres(args.pg) as pg_url:
        if redis_url is None:
            print("redis-server is not installed: nothing to measure")
            return 2
        tmp = tempfile.mkdtemp(prefix="stackwatch-bench-fleet-")
        db_url = pg_url or f"sqlite:///{tmp}/fleet.db"
        upgrade(make_engine(db_url))
        workers = start_workers(redis_url, db_url, tmp)
        try:
            fleet_sizes(args, redis_url, db_url, fleet)
        finally:
            for proc in workers:
                proc.terminate()
            for proc in workers:
                proc.wait(20)
        store_one_minute(db_url, max(args.hosts))
        rows_per_host_day(db_url, 20 if args.full else 10, 120 if args.full else 30)
        print(f"load after: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
