"""`stackwatch demo`: start a private stack (its own supervisord, the worker, sample programs)
in a directory of its own, open the console on it, and stop everything on the way out."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

from console.core.errors import StackwatchError
from console.core.settings import LoadedSettings, load_settings

HELP = "start a private demo stack and open the console on it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    backend = parser.add_mutually_exclusive_group()
    backend.add_argument(
        "--redis",
        metavar="URL",
        help="share this Redis (the demo takes an empty database of its own and empties it "
        "at exit); default: its own redis-server on a private socket, else embedded SQLite",
    )
    backend.add_argument("--embedded", action="store_true", help="never use Redis")
    parser.add_argument("--dir", metavar="DIR", help="where the demo keeps its files")
    parser.add_argument("--clean", action="store_true", help="remove the demo's own files at exit")
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


def _stop_on_signals() -> None:
    def interrupt(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)


def _claim_dir(args: argparse.Namespace):
    from console.demo.files import DemoDir
    from console.demo.stack import ALL_PROGRAMS

    root = Path(args.dir or tempfile.mkdtemp(prefix="stackwatch-demo-")).resolve()
    if len(str(root / "supervisor.sock")) > 100:
        raise StackwatchError(f"{root} is too long a path for a unix socket; pick a shorter one")
    return DemoDir.claim(root, ALL_PROGRAMS)


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from console.demo.redis_backend import DemoBackend

    if args.interval < 1:
        print("stackwatch demo: --interval must be at least 1", file=sys.stderr)
        return 2
    os.umask(0o077)  # the demo's files and its programs' files are private to its user
    try:
        files = _claim_dir(args)
    except (StackwatchError, OSError) as exc:
        print(f"stackwatch demo: {exc}", file=sys.stderr)
        return 2
    backend = DemoBackend(files.root, share_url=args.redis, embedded=args.embedded)
    _stop_on_signals()
    try:
        return _run_stack(args, loaded, files, backend)
    except StackwatchError as exc:
        print(f"stackwatch demo: {exc}", file=sys.stderr)
        return 2
    finally:
        _finish(args, files, backend)


def _run_stack(args, loaded: LoadedSettings, files, backend) -> int:
    from console.demo.stack import DemoConfig, DemoStack

    backend.start()
    cfg = DemoConfig(root=files.root, redis_url=backend.url, interval=args.interval)
    stack = DemoStack(cfg, files, seed_history=not args.no_history)
    print(f"stackwatch demo: a private supervisord in {files.root}, using {backend.describe()}")
    if not args.no_history:
        print("stackwatch demo: the hour before start is sample history; from now on it is real")
    try:
        stack.start()
        print(f"stackwatch demo: its settings are {cfg.settings_file}; from a second shell:")
        print(f"  stackwatch --config {cfg.settings_file} status", flush=True)
        settings = load_settings(str(cfg.settings_file), env={}).settings
        if loaded.settings.read_only:
            settings = settings.with_overrides(read_only=True)
        _wait_for_first_collection(settings)
        if args.headless is not None:
            return _headless(stack, settings, args.headless)
        from console.tui.app import make_app

        make_app(settings).run()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        killed = stack.stop()
        if killed:
            print(f"stackwatch demo: killed {len(killed)} stray processes", file=sys.stderr)


def _finish(args: argparse.Namespace, files, backend) -> None:
    """Stop or release the backend, then keep or remove the demo's files."""
    done = backend.stop()
    if done:
        print(f"stackwatch demo: {done}")
    if not args.clean:
        print(f"stackwatch demo: stopped; its files are in {files.root} (--clean removes them)")
        return
    left = files.remove()
    if left:
        shown = ", ".join(left[:3]) + (", ..." if len(left) > 3 else "")
        print(
            f"stackwatch demo: stopped; removed its files, left the others in {files.root}: {shown}"
        )
    else:
        print("stackwatch demo: stopped; its files are removed")


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
    from console.demo.stack import WORKER

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
    worker_ok = states.get(f"{WORKER}:{WORKER}") == "RUNNING"
    return 0 if worker_ok and counts["system_health_metrics"] > 0 else 1
