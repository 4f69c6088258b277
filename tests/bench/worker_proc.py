"""The real worker process under load: `stackwatch worker` as a subprocess, cycles enqueued fast.

Its resident memory after 10 and after N full cycles (collect, roll, store), its idle CPU, and
the same for a bare huey consumer started the same way. The cycles are the worker's own
periodic tasks, enqueued by this process on the worker's queue, so they run the real job path
back to back instead of once a minute.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from console.core.settings import Settings
from tests.bench.common import Row, Stats, summarise

HOST = "bench-worker"
BARE_APP = """
from huey import RedisHuey
huey = RedisHuey("bench-bare", url={url!r})

@huey.periodic_task(lambda dt: dt.second == 0)
def tick():
    return 1
"""


def _env(url: str, tmp: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STACKWATCH_")}
    env.update(
        STACKWATCH_REDIS_URL=url,
        STACKWATCH_DATABASE_URL=f"sqlite:///{tmp}/bench.db",
        STACKWATCH_DATA_DIR=tmp,
        STACKWATCH_HOST=HOST,
        # Accelerated, every roll's trailing window would hold every item pushed so far (1,000
        # in a minute), where a real 5-minute window holds 5 (300 at a 1 s interval): a 2 s
        # window keeps what an accelerated roll reads near what a real one reads.
        STACKWATCH_STORE_INTERVAL="2",
        XDG_CONFIG_HOME=tmp,  # no user config file
        PYTHONPATH=tmp,
    )
    return env


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _settled(proc: psutil.Process, quiet_ms: float = 20, window: float = 0.5) -> bool:
    """True when the process used less than quiet_ms of CPU over the window."""
    before = sum(proc.cpu_times()[:2])
    time.sleep(window)
    return (sum(proc.cpu_times()[:2]) - before) * 1000 < quiet_ms


def _idle_cpu(proc: psutil.Process, seconds: float) -> float:
    """Percent of one core used over `seconds` of wall time."""
    before = sum(proc.cpu_times()[:2])
    time.sleep(seconds)
    return (sum(proc.cpu_times()[:2]) - before) / seconds * 100


def _rss_mb(proc: psutil.Process) -> float:
    return proc.memory_info().rss / 2**20


def _start(argv: list[str], env: dict[str, str], cwd: str) -> subprocess.Popen:
    return subprocess.Popen(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _stop(popen: subprocess.Popen) -> None:
    popen.terminate()
    try:
        popen.wait(10)
    except subprocess.TimeoutExpired:
        popen.kill()
        popen.wait()


def measure(url: str, cycles: int = 1000, idle_s: float = 10.0) -> list[Row]:
    """Rows: worker RSS after 10 and after `cycles` cycles, idle CPU, beside a bare consumer."""
    from console.core.store.engine import make_engine, upgrade
    from jobs.app import build

    tmp = tempfile.mkdtemp(prefix="stackwatch-bench-worker-")
    env = _env(url, tmp)
    engine = make_engine(env["STACKWATCH_DATABASE_URL"])
    upgrade(engine)
    engine.dispose()
    settings = Settings(
        host=HOST,
        redis_url=url,
        database_url=env["STACKWATCH_DATABASE_URL"],
        data_dir=tmp,
        store_interval=2,
    )
    huey, ctx, tasks = build(settings)
    huey.flush()
    worker = _start([sys.executable, "-m", "console", "worker"], env, tmp)
    try:
        _wait(lambda: ctx.cache.heartbeat(HOST).ok, 60, "the worker's first collection")
        proc = psutil.Process(worker.pid)

        def run(n: int) -> None:
            for first in range(0, n, 50):  # in slices: queued tasks expire after a while
                for _ in range(min(50, n - first)):
                    for name in ("collect_system_metrics", "reset_tps_counter", "store_metrics"):
                        tasks[name]()
                _wait(lambda: huey.pending_count() == 0, 300, "the worker to drain its queue")
            _wait(lambda: _settled(proc), 60, "the worker to go idle")

        run(10)
        rss10 = _rss_mb(proc)
        run(cycles - 10)
        rss_n = _rss_mb(proc)
    finally:
        _stop(worker)
        ctx.close()
    idle = _idle_worker(url, idle_s)
    bare_rss, bare_idle = _bare_consumer(url, env, tmp, idle_s)
    tick = 1.0 / idle_s  # one 10 ms CPU tick over the window, in percent: the resolution
    idle_met = "met" if idle <= bare_idle.median + tick else "MISSED"
    return [
        Row(
            f"worker process RSS after {cycles:,} cycles",
            summarise([rss_n]),
            summarise([rss10]),
            "after 10 cycles",
            "< 64 MB, ≤ +5 %",
            unit="MB",
            goal_ratio=1.05,
        ),
        Row(
            "worker process RSS after 10 cycles",
            summarise([rss10]),
            bare_rss,
            "bare huey consumer, idle",
            f"< 64 MB — {'met' if rss10 < 64 else 'MISSED'}",
            unit="MB",
        ),
        Row(
            f"worker idle CPU over {idle_s:g} s",
            summarise([idle]),
            bare_idle,
            "bare huey consumer",
            f"≤ bare consumer — {idle_met}",
            unit="%",
        ),
    ]


def _idle_worker(url: str, idle_s: float) -> float:
    """CPU % of a worker with the default schedule, between its cycles."""
    from console.core.cache import open_cache

    tmp = tempfile.mkdtemp(prefix="stackwatch-bench-idle-")
    env = _env(url, tmp)
    del env["STACKWATCH_STORE_INTERVAL"]  # the real schedule: the scheduler ticks every 60 s
    env["STACKWATCH_HOST"] = HOST + "-idle"
    env["STACKWATCH_DATABASE_URL"] = f"sqlite:///{tmp}/idle.db"
    subprocess.run(
        [sys.executable, "-m", "console", "db", "upgrade"],
        env=env,
        cwd=tmp,
        check=True,
        capture_output=True,
    )
    cache = open_cache(Settings(host=HOST + "-idle", redis_url=url))
    worker = _start([sys.executable, "-m", "console", "worker"], env, tmp)
    try:
        _wait(lambda: cache.heartbeat(HOST + "-idle").ok, 60, "the idle worker's first cycle")
        proc = psutil.Process(worker.pid)
        _wait(lambda: _settled(proc), 60, "the idle worker to go idle")
        return _idle_cpu(proc, idle_s)
    finally:
        _stop(worker)
        cache.close()


def _bare_consumer(url: str, env: dict, tmp: str, idle_s: float) -> tuple[Stats, Stats]:
    Path(tmp, "bench_bare_app.py").write_text(BARE_APP.format(url=url))
    consumer = Path(sys.executable).with_name("huey_consumer")
    argv = [str(consumer), "bench_bare_app.huey", "-w", "2", "-k", "thread"]
    bare = _start(argv, env, tmp)
    try:
        proc = psutil.Process(bare.pid)
        time.sleep(3)  # imports done, first poll made
        rss = _rss_mb(proc)
        idle = _idle_cpu(proc, idle_s)
    finally:
        _stop(bare)
    return summarise([rss]), summarise([idle])
