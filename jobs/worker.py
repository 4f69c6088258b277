"""The worker runner: huey's consumer plus max-time, memory and missed-cleanup handling.

It exits on purpose after `max_time` seconds or past `memory_mb` of resident memory, with the
same graceful stop as SIGINT (running jobs finish), so supervisord restarts it fresh.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Callable

import psutil
from huey.consumer import Consumer, Scheduler

from console.core.errors import SourceUnavailable
from console.core.redact import redacting_formatter
from console.core.sanitize import first_line
from console.core.settings import Settings
from console.core.store.engine import check_schema
from console.core.throttle import RepeatFilter
from jobs import schedule
from jobs.alert_sender import LOCK as SENDER_LOCK
from jobs.alert_sender import AlertSender, EventWatch
from jobs.app import build
from jobs.maintenance import cleanup_due, read_last_run

log = logging.getLogger("stackwatch.worker")
CHECK_EVERY_S = 1.0


class StackwatchConsumer(Consumer):
    """huey's consumer that also stops gracefully past a time or memory limit."""

    def __init__(
        self,
        huey: object,
        max_time: float = 0,
        memory_mb: float = 0,
        clock: Callable[[], float] = time.monotonic,
        scheduler: type[Scheduler] = Scheduler,
        **options: object,
    ) -> None:
        self.scheduler_class = scheduler  # read by Consumer.__init__
        super().__init__(huey, **options)
        self.max_time = max_time
        self.memory_mb = memory_mb
        self.clock = clock
        self.started = clock()
        self._next_check = self.started
        self._process = psutil.Process()
        self.exit_reason: str | None = None

    def loop(self, health_check_ts: float | None = None) -> float | None:
        now = self.clock()
        if self.exit_reason is None and now >= self._next_check:
            self._next_check = now + CHECK_EVERY_S
            self.exit_reason = self.limit_reached(now)
            if self.exit_reason:
                log.info("stopping gracefully: %s", self.exit_reason)
                self._signum, self._restart, self._graceful = signal.SIGINT, False, True
        return super().loop(health_check_ts)

    def limit_reached(self, now: float) -> str | None:
        if self.max_time and now - self.started >= self.max_time:
            return f"ran for {self.max_time:g} s (--max-time)"
        if self.memory_mb:
            rss_mb = self._process.memory_info().rss / 2**20
            if rss_mb >= self.memory_mb:
                return f"resident memory {rss_mb:.0f} MB ≥ {self.memory_mb:g} MB (--memory)"
        return None


def setup_logging(level: int = logging.INFO, secrets: tuple[str, ...] = ()) -> None:
    """One line per record on stderr; identical warnings at most once a minute (outages);
    URL passwords and the passwords we hold masked in every line and traceback."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        redacting_formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    handler.addFilter(RepeatFilter())
    handler.addFilter(quiet_outages)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("huey", "alembic"):  # huey logs every task at INFO
        logging.getLogger(noisy).setLevel(logging.WARNING)


def quiet_outages(record: logging.LogRecord) -> bool:
    """huey logs a full traceback for every failed try; an unreachable source is no bug, and
    the store gate has already said it once per outage."""
    error = record.exc_info[1] if record.exc_info else None
    return not (record.name.startswith("huey") and isinstance(error, SourceUnavailable))


def scheduler_class(settings: Settings) -> type[Scheduler]:
    """huey's scheduler checking periodic jobs every `tick` s instead of every 60 s."""
    return type(
        "StackwatchScheduler", (Scheduler,), {"periodic_task_seconds": schedule.tick(settings)}
    )


def run_missed_cleanup(ctx: object, tasks: dict, settings: Settings) -> None:
    """huey never replays a missed crontab minute: enqueue the cleanup if its time passed."""
    try:
        last = read_last_run(ctx)  # type: ignore[arg-type]
    except SourceUnavailable as exc:
        log.warning("cannot read the last cleanup time: %s", exc)
        return
    if cleanup_due(last, time.time(), settings.cleanup_hour, settings.timezone):
        log.info("cleanup_old_metrics missed its time: running it now")
        try:
            tasks["cleanup_old_metrics"]()
        except Exception as exc:  # the broker is down or refuses us: its periodic run retries
            reason = first_line(str(exc)) or type(exc).__name__
            log.warning("cannot enqueue the missed cleanup: %s", reason)


def make_consumer(
    settings: Settings, huey: object, workers: int, max_time: float, memory_mb: float
) -> StackwatchConsumer:
    return StackwatchConsumer(
        huey,
        scheduler=scheduler_class(settings),
        max_time=max_time,
        memory_mb=memory_mb,
        workers=workers,
        worker_type="thread",
        periodic=True,
        flush_locks=True,  # a kill -9 leaves locks behind; only one worker per host holds them
        # huey flushes only the locks it has seen taken in this process, and ours are taken
        # per run (jobs.app.run_job), so at start it knows none: name them all
        extra_locks=",".join([*(entry.name for entry in schedule.schedule(settings)), SENDER_LOCK]),
        check_worker_health=True,
        health_check_interval=5,
        max_delay=min(5.0, settings.collect_interval / 2),  # idle polling and outage backoff
    )


def run_worker(settings: Settings, workers: int, max_time: float, memory_mb: float) -> int:
    """Run until SIGINT/SIGTERM or a limit; returns the exit code."""
    setup_logging(secrets=settings.secrets())
    huey, ctx, tasks = build(settings)
    try:
        ctx.store.run(lambda: check_schema(ctx.engine))
    except SourceUnavailable:
        pass  # the gate logged it; the cache side runs, the rows catch up later
    else:
        run_missed_cleanup(ctx, tasks, settings)
    consumer = make_consumer(settings, huey, workers, max_time, memory_mb)
    log.info(
        "stackwatch worker on %s: %d workers, collecting every %d s",
        settings.host,
        workers,
        settings.collect_interval,
    )
    from jobs.fleet import start_request_server

    requests = start_request_server(settings)  # consoles' actions and log reads, by Redis
    watch = EventWatch(ctx, tasks["evaluate_alerts"])  # a FATAL event: evaluate at once
    sender = AlertSender(ctx, watch=watch)  # beside huey's threads: a slow target never waits
    sender.start()
    try:
        consumer.run()
    finally:
        sender.stop()
        if requests is not None:
            requests.stop()
    ctx.close()
    return 0
