"""`stackwatch collect --once`: one full collection and store, in the foreground."""

from __future__ import annotations

import argparse

from console.core.settings import LoadedSettings

HELP = "run one collection in the foreground"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--once",
        action="store_true",
        required=True,
        help="collect, roll the request counter and store once, printing what was written",
    )


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from console.core.store.engine import check_schema
    from jobs.collection import collect_system_metrics
    from jobs.context import JobContext
    from jobs.performance import reset_tps_counter, store_metrics

    ctx = JobContext(loaded.settings)
    try:
        check_schema(ctx.engine)
        collected = collect_system_metrics(ctx)
        for line in collected.wrote:
            print(f"collect: {line}")
        for line in collected.errors:
            print(f"collect: FAILED {line}")
        item = reset_tps_counter(ctx)
        print(f"reset_tps_counter: {item['requests']} requests, {item['jobs']} jobs rolled")
        for line in store_metrics(ctx).wrote:
            print(f"store_metrics: {line}")
        return 1 if collected.errors else 0
    finally:
        ctx.close()
