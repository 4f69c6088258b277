"""Every benchmark, one after the other, each printing its table: `python -m tests.bench`.

    .venv/bin/python -m tests.bench [--only logs,worker] [--quick]

Run apart from the tests (they take minutes and want a quiet machine). The worker benchmark
gets a private redis-server on a free port; the store benchmark uses the local PostgreSQL when
it answers (else says it skipped those rows); a benchmark whose module is not there yet, or
that fails, is named at the end with the reason. Each one also runs alone:
`python -m tests.bench.bench_<name> --help`.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import time
import traceback

from tests.bench.common import private_redis

# name -> (arguments by default, arguments with --quick)
BENCHES: dict[str, tuple[list[str], list[str]]] = {
    "store": ([], ["--hosts", "5"]),
    "worker": ([], ["--cycles", "200", "--idle", "5"]),
    "logs": ([], ["--size-mb", "256", "--runs", "5"]),
    "console": ([], ["--seconds", "15"]),
    "log_screen": ([], ["--seconds", "15", "--rates", "5"]),
    "processes": ([], []),
    "events": ([], ["--changes", "20", "--polls-only", "6"]),
    "connections": ([], ["--seconds", "2"]),
    "fleet": ([], ["--hosts", "10,50"]),
    "cursor": ([], ["--runs", "5", "--days", "60"]),
    "alerts": ([], ["--runs", "5", "--cost-seconds", "10"]),
    "commands": ([], ["--runs", "5"]),
}


def run_one(name: str, argv: list[str]) -> str | None:
    """Run bench_<name>.main with argv; None when it ran, else why not."""
    module_name = f"tests.bench.bench_{name}"
    if importlib.util.find_spec(module_name) is None:
        return "its module is not in this checkout yet"
    print(f"\n# bench_{name} {' '.join(argv)}", flush=True)
    module = importlib.import_module(module_name)
    saved = sys.argv
    sys.argv = [module_name, *argv]  # benches that parse sys.argv themselves
    try:
        code = module.main(argv) if _takes_argv(module.main) else module.main()
    except Exception as exc:  # one broken bench must not hide the others' tables
        traceback.print_exc()
        return f"failed: {type(exc).__name__}: {exc}"
    finally:
        sys.argv = saved
    return None if not code else f"exited with {code}"


def _takes_argv(main: object) -> bool:
    code = getattr(main, "__code__", None)
    return bool(code and code.co_argcount)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"comma-separated, from: {', '.join(BENCHES)}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a first look")
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(BENCHES)
    unknown = [n for n in chosen if n not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    skipped: dict[str, str] = {}
    started = time.monotonic()
    with private_redis() as url:
        for name in chosen:
            bench_args = list(BENCHES[name][1 if args.quick else 0])
            if name == "worker":
                if url is None:
                    skipped[name] = "redis-server is not installed"
                    continue
                bench_args.insert(0, url)
            why = run_one(name, bench_args)
            if why:
                skipped[name] = why
    print(f"\nall benchmarks: {time.monotonic() - started:.0f} s")
    for name, why in skipped.items():
        print(f"skipped bench_{name}: {why}")
    return 1 if any(why.startswith("failed") for why in skipped.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
