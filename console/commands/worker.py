"""`stackwatch worker`: the collection worker (huey consumer) for supervisord to run."""

from __future__ import annotations

import argparse

from console.core.settings import LoadedSettings

HELP = "run the collection worker (huey consumer)"
DESCRIPTION = """\
Runs the huey consumer with stackwatch's periodic jobs: collect_system_metrics and
reset_tps_counter every collection interval, store_metrics every store interval,
cleanup_old_metrics daily at collect.cleanup_hour (run at start when missed).

Signals: SIGINT stops gracefully (running jobs finish; use stopsignal=INT in supervisord),
SIGTERM interrupts running jobs, SIGHUP restarts gracefully. The worker also exits cleanly
after --max-time seconds or past --memory MB of resident memory, so supervisord
(autorestart=true) starts it fresh. It refuses to start on an out-of-date schema.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--workers", type=int, metavar="N", help="worker threads (default 2)")
    parser.add_argument(
        "--max-time", type=int, metavar="S", help="exit cleanly after S seconds (0: never)"
    )
    parser.add_argument(
        "--memory", type=int, metavar="MB", help="exit cleanly past MB resident memory (0: never)"
    )


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from jobs.lean import skip_unused_drivers

    settings = loaded.settings
    skip_unused_drivers(settings.resolved_database_url)
    from jobs.worker import run_worker

    workers = args.workers if args.workers is not None else settings.worker_workers
    if workers < 1:
        raise SystemExit(_usage("--workers must be at least 1"))
    max_time = args.max_time if args.max_time is not None else settings.worker_max_time
    memory = args.memory if args.memory is not None else settings.worker_memory_mb
    if max_time < 0 or memory < 0:
        raise SystemExit(_usage("--max-time and --memory must be ≥ 0"))
    return run_worker(settings, workers, max_time, memory)


def _usage(message: str) -> int:
    import sys

    print(f"stackwatch worker: {message}", file=sys.stderr)
    return 2
