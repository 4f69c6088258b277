"""Alert latency and cost: from a program entering FATAL to the webhook receiving the message,
and the worker's CPU and memory with 50 alert rules against none.

    .venv/bin/python -m tests.bench.bench_alerts [--runs 20] [--polls] [--cost-seconds 30]

A private supervisord runs one program that can be driven into FATAL (startretries=0 and a
start that fails) and, by default, the shipped event listener; a real `stackwatch worker` (its
rules evaluated at once on a FATAL event, else every 10 s) sends to a loopback HTTP receiver
(apprise json://).
FATAL is seen by polling XML-RPC every 10 ms; each run ends with the program fixed and the
"resolved" message received, so every run is a new alert. `--polls` measures the same without
the listener (the worker then sees FATAL at its next collection, every second here).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

from console.core.cache import open_cache
from console.core.settings import Settings
from console.core.store.engine import make_engine, upgrade
from tests.alerts.receivers import Webhook
from tests.bench.common import Row, print_table, private_redis, summarise
from tests.events.helpers import HOST, LISTENER, listener_section
from tests.support.supervisord import Program, Supervisord

ROOT = Path(__file__).resolve().parents[2]


class TimedHook(Webhook):
    """A webhook that notes when each message arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: list[tuple[float, str]] = []
        self.event = threading.Event()

    def _handle(self, request):  # type: ignore[no-untyped-def]
        response = super()._handle(request)
        self.arrived.append((time.time(), self.received[-1].get("title", "")))
        self.event.set()
        return response


def worker(tmp: Path, env: dict[str, str]) -> subprocess.Popen:
    base = {k: v for k, v in os.environ.items() if not k.startswith("STACKWATCH_")}
    log = (tmp / "worker.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "console", "worker"],
        env={**base, **env, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp)},
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def settings_env(tmp: Path, redis_url: str, extra: dict[str, str]) -> dict[str, str]:
    db = f"sqlite:///{tmp / 'bench.db'}"
    upgrade(make_engine(db))
    return {
        "STACKWATCH_REDIS_URL": redis_url,
        "STACKWATCH_DATABASE_URL": db,
        "STACKWATCH_HOST": HOST,
        "STACKWATCH_DATA_DIR": str(tmp / "data"),
        **extra,
    }


def _wait(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.01)


@contextmanager
def stack(programs: list[Program], listener: bool) -> Iterator[tuple[Supervisord, TimedHook, str]]:
    """supervisord (with the listener or not), a receiver, and a worker sending to it."""
    with tempfile.TemporaryDirectory(prefix="sw-bench-alerts-") as name, private_redis() as url:
        tmp = Path(name)
        extra = (
            listener_section(tmp, {"STACKWATCH_HOST": HOST, "STACKWATCH_REDIS_URL": url})
            if listener
            else ""
        )
        (tmp / "sv").mkdir()
        sv = Supervisord(tmp / "sv", programs, extra).start()
        if listener:
            sv.wait_for_state(f"{LISTENER}:{LISTENER}", {"RUNNING"}, timeout=30)
        hook = TimedHook().start()
        # With the listener the rules run at once on a FATAL event: the default interval
        # (10 s) stays; without it, FATAL waits for a collection and then an evaluation.
        fast = {} if listener else {"STACKWATCH_ALERTS_INTERVAL": "1"}
        env = {
            "STACKWATCH_SUPERVISOR_URL": sv.url,
            "STACKWATCH_COLLECT_INTERVAL": "1",
            "STACKWATCH_ALERTS_NOTIFY": hook.url,
            **fast,
        }
        proc = worker(tmp, settings_env(tmp, url, env))
        try:
            time.sleep(3)  # the worker's first collection and evaluation
            yield sv, hook, url
        finally:
            stop(proc)
            hook.stop()
            sv.stop()


def _start(rpc, name: str) -> None:  # type: ignore[no-untyped-def]
    try:
        rpc.supervisor.startProcess(name, False)
    except xmlrpc.client.Fault:  # SPAWN_ERROR when it fails at once: FATAL too
        pass


def latency(runs: int, listener: bool) -> list[float]:
    """Seconds from FATAL (seen by XML-RPC) to the firing message at the receiver, per run."""
    ok = Path(tempfile.mkdtemp(prefix="sw-bench-ok-")) / "ok"
    ok.touch()
    victim = Program(
        "victim",
        f"sh -c 'test -f {ok} && exec sleep 3600; exit 1'",
        {"startsecs": "1", "startretries": "0", "autorestart": "false"},
    )
    out = []
    with stack([victim], listener) as (sv, hook, _):
        rpc = sv.rpc()
        for _ in range(runs):
            seen = len(hook.arrived)
            ok.unlink()
            rpc.supervisor.stopProcess("victim", True)
            _start(rpc, "victim")
            fatal = None
            while fatal is None:
                if rpc.supervisor.getProcessInfo("victim")["statename"] == "FATAL":
                    fatal = time.time()
                else:
                    time.sleep(0.01)
            _wait(lambda seen=seen: len(hook.arrived) > seen, 60, "the firing message")
            arrived, title = hook.arrived[seen]
            assert title.startswith("[FIRING]") and "program_fatal" in title, title
            out.append(arrived - fatal)
            ok.touch()
            rpc.supervisor.startProcess("victim", True)
            _wait(
                lambda seen=seen: any(
                    "RESOLVED" in t and "program_fatal" in t for _, t in hook.arrived[seen + 1 :]
                ),
                60,
                "the resolved message",
            )
    return out


def crash_loop_latency(runs: int) -> tuple[list[float], list[float]]:
    """(from the loop's first start, from its 5th start) to the crash_loop message, per run:
    one program per run, each exiting at once and restarted by supervisord."""
    from console.core.events.timeline import stream_tail

    loopers = [
        Program(
            f"loop{i}",
            "sh -c 'exit 1'",
            {"autostart": "false", "startsecs": "0", "startretries": "1000", "autorestart": "true"},
        )
        for i in range(runs)
    ]
    first, fifth = [], []
    with stack(loopers, listener=True) as (sv, hook, url):
        rpc = sv.rpc()
        cache = open_cache(Settings(host=HOST, redis_url=url))
        for i in range(runs):
            name = f"loop{i}:loop{i}"
            started = time.time()
            _start(rpc, name)

            def fired(name: str = name) -> bool:
                return any("crash_loop" in t and name in t for _, t in hook.arrived)

            _wait(fired, 120, "the crash loop message")
            arrived = next(a for a, t in hook.arrived if "crash_loop" in t and name in t)
            try:
                rpc.supervisor.stopProcess(name, False)
            except xmlrpc.client.Fault:  # between two runs of the loop: NOT_RUNNING
                pass
            starts = sorted(
                e.ts
                for e in stream_tail(cache, HOST, 5000)
                if e.program == name and e.to_state == "STARTING"
            )
            first.append(arrived - started)
            fifth.append(arrived - starts[4])
        cache.close()
    return first, fifth


def extra_rules(count: int) -> str:
    """`count` more rules: metric and queue rules with globs, as a big config might have."""
    kinds = [
        ("metric", 'metric = "cpu_percent"'),
        ("metric", 'metric = "mem_percent"'),
        ("fatal", ""),
        ("crash_loop", "count = 3"),
        ("queue_pending", "threshold = 10"),
        ("exited", ""),
        ("disk_full", "threshold = 48"),
    ]
    out = []
    for i in range(count):
        kind, more = kinds[i % len(kinds)]
        out.append(f'[[alert]]\nname = "extra_{i}"\nkind = "{kind}"\nmatch = "x{i}*"\n{more}\n')
    return "\n".join(out)


def no_rules() -> str:
    from console.core.alerts.rules import DEFAULT_RULES

    return "\n".join(f'[[alert]]\nname = "{r.name}"\nenabled = false\n' for r in DEFAULT_RULES)


def cost(seconds: float, config: str) -> tuple[float, float]:
    """(CPU seconds per minute, RSS MB) of an idle worker evaluating every second."""
    with tempfile.TemporaryDirectory(prefix="sw-bench-cost-") as name, private_redis() as url:
        tmp = Path(name)
        (tmp / "stackwatch.toml").write_text(config)
        env = settings_env(
            tmp,
            url,
            {"STACKWATCH_ALERTS_INTERVAL": "1", "STACKWATCH_CONFIG": str(tmp / "stackwatch.toml")},
        )
        proc = worker(tmp, env)
        try:
            time.sleep(8)  # start-up, imports, the first runs
            p = psutil.Process(proc.pid)
            before = p.cpu_times()
            time.sleep(seconds)
            after = p.cpu_times()
            rss = p.memory_info().rss / 2**20
        finally:
            stop(proc)
        used = (after.user - before.user) + (after.system - before.system)
        return used * 60 / seconds, rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--polls", action="store_true", help="also without the event listener")
    parser.add_argument("--cost-seconds", type=float, default=30.0)
    parser.add_argument("--crash-loops", type=int, default=5, help="runs (0: none)")
    args = parser.parse_args(argv)
    rows = []
    modes = [("with the event listener", True)] + ([("polls only", False)] if args.polls else [])
    if args.crash_loops:
        first, fifth = crash_loop_latency(args.crash_loops)
        rows.append(
            Row(
                "crash loop → message, from its first start (listener)",
                summarise(first),
                None,
                "—",
                "5 starts, supervisord's pace",
            )
        )
        rows.append(
            Row(
                "crash loop → message, from its 5th start (listener)",
                summarise(fifth),
                None,
                "—",
                "under 1 s",
            )
        )
    for label, listener in modes:
        found = latency(args.runs, listener)
        interval = "default alerts.interval 10 s" if listener else "collect and alerts every 1 s"
        rows.append(
            Row(
                f"FATAL → webhook message ({label}, {interval})",
                summarise(found),
                None,
                "—",
                "under the interval + 1 s",
            )
        )
    from console.core.alerts.rules import DEFAULT_RULES

    extra = 50 - len(DEFAULT_RULES)
    for label, config in (("no rules", no_rules()), ("50 rules", extra_rules(extra))):
        cpu, rss = cost(args.cost_seconds, config)
        rows.append(
            Row(
                f"worker CPU, {label}, evaluating every 1 s",
                summarise([cpu]),
                None,
                "—",
                "per minute",
                unit="s",
            )
        )
        rows.append(Row(f"worker RSS, {label}", summarise([rss]), None, "—", "", unit="MB"))
    print_table("Alerts", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
