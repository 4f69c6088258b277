"""One-shot commands against a bare script doing the same reads, interleaved in one run.

Run apart from the tests:  .venv/bin/python -m tests.bench.bench_commands [--runs 9]

A private redis-server and a private embedded store (schema by `stackwatch db upgrade`) in a
temp dir, removed at the end. Each row is whole-process wall time, launch to exit:
- `stackwatch queues`: a huey queue and a plain list, the failures waiting in the cache and the
  stored failure counts; the bare script (redis-py + sqlite3) sends the same commands and the
  same SELECT.
CPU time (user + system, from the children's rusage) beside wall time: on a shared machine
the CPU figure moves less with the load. `--tree DIR` runs another checkout (before/after).
- `stackwatch doctor`: the bare script pings Redis, reads the worker heartbeat and the store's
  schema version: a floor, doctor checks more.
`stackwatch status` is measured beside supervisorctl by bench_processes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.common import Row, print_table, private_redis, summarise  # noqa: E402

GOAL = 1.5
BARE_QUEUES = """
import sqlite3, sys, time
import redis
r = redis.Redis.from_url(sys.argv[1])
p = r.pipeline()
for key, kind in (("huey.redis.mail", "list"), ("huey.schedule.mail", "zset"),
                  ("huey.results.mail", "hash"), ("jobs", "list")):
    p.type(key)
p.llen("huey.redis.mail"); p.zcard("huey.schedule.mail"); p.llen("jobs")
p.lrange("stackwatch:jobs:failures:bench:staged", 0, 199)
p.lrange("stackwatch:jobs:failures:bench", 0, 199)
print(p.execute())
db = sqlite3.connect(sys.argv[2])
print(db.execute("SELECT queue, COUNT(*), SUM(CASE WHEN ts >= ? THEN 1 ELSE 0 END) "
                 "FROM job_failures WHERE host = ? GROUP BY queue",
                 (time.time() - 604800, "bench")).fetchall())
"""
BARE_DOCTOR = """
import sqlite3, sys
import redis
r = redis.Redis.from_url(sys.argv[1])
print(r.ping(), r.get("stackwatch:heartbeat:bench"))
db = sqlite3.connect(sys.argv[2])
print(db.execute("SELECT version_num FROM alembic_version").fetchall())
"""


def _settings(work: Path, redis_url: str) -> Path:
    path = work / "stackwatch.toml"
    path.write_text(
        f'host = "bench"\nredis_url = "{redis_url}"\ndiscover_queues = false\n'
        f'data_dir = "{work}"\n\n'
        '[[queue]]\nname = "mail"\nkind = "huey"\nkey = "mail"\n\n'
        '[[queue]]\nname = "jobs"\nkind = "redis-list"\nkey = "jobs"\n'
    )
    return path


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU user + system) seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(redis_url: str, runs: int, tree: Path) -> list[Row]:
    import redis

    work = Path(tempfile.mkdtemp(prefix="swbench-commands-"))
    try:
        config = _settings(work, redis_url)
        env = {k: v for k, v in os.environ.items() if not k.startswith("STACKWATCH_")}
        sw = [sys.executable, "-m", "console", "--config", str(config)]
        subprocess.run([*sw, "db", "upgrade"], env=env, check=True, capture_output=True)
        client = redis.Redis.from_url(redis_url)
        client.rpush("huey.redis.mail", b"a", b"b")
        client.rpush("jobs", b"x", b"y", b"z")
        store = str(work / "stackwatch.db")
        pairs = {
            "queues": ([*sw, "queues"], [sys.executable, "-c", BARE_QUEUES, redis_url, store]),
            "doctor": ([*sw, "doctor"], [sys.executable, "-c", BARE_DOCTOR, redis_url, store]),
        }
        env["PYTHONPATH"] = str(tree)
        times: dict[str, tuple[list, list]] = {n: ([], []) for n in pairs}
        for _ in range(runs + 1):  # the first round warms the page cache, unmeasured
            for name, (ours, bare) in pairs.items():
                times[name][0].append(_run(ours, env, tree))
                times[name][1].append(_run(bare, env, tree))
        client.flushdb()
        client.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = []
    for name, (ours, bare) in times.items():
        for i, figure in ((1, "CPU (user + system)"), (0, "wall")):
            rows.append(
                Row(
                    f"`stackwatch {name}` whole process, {figure}",
                    summarise([t[i] for t in ours[1:]]),
                    summarise([t[i] for t in bare[1:]]),
                    "bare redis-py + sqlite3, same reads",
                    f"≤ {GOAL}× bare",
                    "s",
                    GOAL,
                )
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout to run stackwatch from")
    args = parser.parse_args(argv)
    with private_redis() as url:
        if url is None:
            print("redis-server is not installed: cannot measure", file=sys.stderr)
            return 2
        rows = measure(url, args.runs, args.tree.resolve())
    print_table(
        f"One-shot commands, {args.runs} interleaved runs, load {os.getloadavg()[0]:.1f}", rows
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
