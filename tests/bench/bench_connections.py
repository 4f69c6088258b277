"""Connections a console opens while it visits every screen: SQLAlchemy engines, Redis clients
and Redis connection pools, counted by wrapping their constructors (a benchmark, not a test).

    .venv/bin/python -m tests.bench.bench_connections [--seconds 3]

A private redis-server and a SQLite store in a temporary directory, one collection so every
screen has data, then a headless console: dashboard, processes, queues, logs, dashboard again,
`--seconds` on each. The same script runs on an older checkout (it uses only `make_app`).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

COUNTS: Counter[str] = Counter()
SCREENS = ("dashboard", "processes", "queues", "logs", "dashboard")


def _count_constructors() -> None:
    """Wrap the constructors before any stackwatch module imports them."""
    import redis
    import sqlalchemy

    create = sqlalchemy.create_engine

    def counting_engine(*args: object, **kwargs: object) -> object:
        COUNTS["SQLAlchemy engines"] += 1
        return create(*args, **kwargs)

    sqlalchemy.create_engine = counting_engine  # type: ignore[assignment]
    import console.core.store.engine as store_engine  # it may have bound the name already

    store_engine.create_engine = counting_engine  # type: ignore[assignment]
    for cls, label in ((redis.Redis, "Redis clients"), (redis.ConnectionPool, "Redis pools")):
        init = cls.__init__

        def counting_init(self: object, *a: object, _init=init, _label=label, **k: object) -> None:
            COUNTS[_label] += 1
            _init(self, *a, **k)

        cls.__init__ = counting_init  # type: ignore[method-assign]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    argv = ["redis-server", "--port", str(port), "--save", "", "--dir", str(workdir)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def _prepare(settings: object) -> None:
    """The schema and one collection, so every screen reads real rows and cache entries."""
    from console.core.store.engine import make_engine, upgrade
    from jobs.collection import collect_system_metrics
    from jobs.context import JobContext

    upgrade(make_engine(settings.resolved_database_url))  # type: ignore[attr-defined]
    ctx = JobContext(settings)  # type: ignore[arg-type]
    collect_system_metrics(ctx)
    ctx.close()


async def _visit(settings: object, seconds: float) -> None:
    from console.tui.app import make_app

    app = make_app(settings)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        for mode in SCREENS:
            await app.switch_mode(mode)
            await pilot.pause(seconds)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time on each screen")
    args = parser.parse_args(argv)
    _count_constructors()
    from console.core.settings import Settings

    workdir = Path(tempfile.mkdtemp(prefix="stackwatch-bench-conn-"))
    proc, url = _redis(workdir)
    try:
        settings = Settings(
            host="bench",
            redis_url=url,
            database_url=f"sqlite:///{workdir / 'store.db'}",
            data_dir=str(workdir / "data"),
        )
        _prepare(settings)
        COUNTS.clear()  # only what the console opens
        asyncio.run(_visit(settings, args.seconds))
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"console visiting {', '.join(SCREENS)} ({args.seconds:g} s each):")
    for label in ("SQLAlchemy engines", "Redis clients", "Redis pools"):
        print(f"  {label:<20} {COUNTS[label]}")


if __name__ == "__main__":
    main()
