"""`stackwatch demo`: start a private stack (its own supervisord, the worker, sample programs)
in a directory of its own, open the console on it, and stop everything on the way out."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

from console.core.settings import LoadedSettings, load_settings

HELP = "start a private demo stack and open the console on it"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--redis",
        metavar="URL",
        help=f"use this Redis (default: embedded SQLite, or {DEFAULT_REDIS} when it answers)",
    )
    parser.add_argument("--embedded", action="store_true", help="never use Redis")
    parser.add_argument("--dir", metavar="DIR", help="where the demo keeps its files")
    parser.add_argument("--clean", action="store_true", help="remove the demo's files at exit")
    parser.add_argument(
        "--interval",
        type=int,
        default=5,
        metavar="S",
        help="collection interval in seconds (default 5, so charts fill fast)",
    )
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="do not seed the hour before start with sample history",
    )
    parser.add_argument(
        "--headless",
        type=float,
        metavar="SECONDS",
        help="no console: run for SECONDS, print a summary, stop (for tests)",
    )


def _redis_url(args: argparse.Namespace) -> str | None:
    if args.embedded:
        return None
    if args.redis:
        return args.redis
    import redis

    try:
        redis.Redis.from_url(DEFAULT_REDIS, socket_connect_timeout=0.3, socket_timeout=0.3).ping()
    except (redis.RedisError, OSError):
        return None
    return DEFAULT_REDIS


def _stop_on_signals() -> None:
    def interrupt(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from console.demo.stack import DemoConfig, DemoStack

    if args.interval < 1:
        print("stackwatch demo: --interval must be at least 1", file=sys.stderr)
        return 2
    root = Path(args.dir or tempfile.mkdtemp(prefix="stackwatch-demo-")).resolve()
    cfg = DemoConfig(root=root, redis_url=_redis_url(args), interval=args.interval)
    stack = DemoStack(cfg, seed_history=not args.no_history)
    _stop_on_signals()
    backend = f"Redis at {cfg.redis_url}" if cfg.redis_url else "embedded SQLite (no Redis needed)"
    print(f"stackwatch demo: starting a private supervisord in {root} ({backend})", flush=True)
    if not args.no_history:
        print("stackwatch demo: the hour before start is sample history; from now on it is real")
    code = 0
    try:
        stack.start()
        settings = load_settings(str(cfg.settings_file), env={}).settings
        if loaded.settings.read_only:
            settings = settings.with_overrides(read_only=True)
        _wait_for_first_collection(settings)
        if args.headless is not None:
            code = _headless(stack, settings, args.headless)
        else:
            from console.tui.app import make_app

            make_app(settings).run()
    except KeyboardInterrupt:
        pass
    finally:
        killed = stack.stop()
        if killed:
            print(f"stackwatch demo: killed {len(killed)} stray process(es)", file=sys.stderr)
        if args.clean:
            shutil.rmtree(root, ignore_errors=True)
            print("stackwatch demo: stopped; its files are removed")
        else:
            print(f"stackwatch demo: stopped; its files are in {root} (--clean removes them)")
    return code


def _wait_for_first_collection(settings, timeout: float = 30.0) -> bool:
    """Open the console once the worker has written its first heartbeat."""
    from console.core.cache import open_cache
    from console.core.errors import SourceUnavailable

    cache = open_cache(settings)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                if cache.get_latest("health", settings.host).ok:
                    return True
            except SourceUnavailable:
                pass
            time.sleep(0.3)
        return False
    finally:
        cache.close()


def _headless(stack, settings, seconds: float) -> int:
    """Run for a while, then say what is running and what reached the store."""
    from console.core.store import queries
    from console.core.store.engine import make_engine

    time.sleep(seconds)
    states = {f"{p['group']}:{p['name']}": p["statename"] for p in stack.processes()}
    for name, state in sorted(states.items()):
        print(f"{name:<36} {state}")
    engine = make_engine(settings.resolved_database_url)
    try:
        counts = {
            table: queries.latest_bucket(engine, table)[0]
            for table in ("system_health_metrics", "queue_metrics", "performance_metrics")
        }
    finally:
        engine.dispose()
    for table, count in counts.items():
        print(f"{table:<36} {count} rows")
    worker_ok = states.get("stackwatch-worker:stackwatch-worker") == "RUNNING"
    return 0 if worker_ok and counts["system_health_metrics"] > 0 else 1
