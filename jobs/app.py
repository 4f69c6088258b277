"""The huey instance, built from settings by `build_huey` (never at import), with our jobs.

RedisHuey when `redis_url` is set, else SqliteHuey on a file in `data_dir` (the embedded
default). The queue name includes the host, so hosts sharing one Redis each run their own
collection. Each job runs under a huey lock, records its run in the ledger, and retries
database failures after 10, 30 and 60 seconds.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from huey import Huey
from huey.exceptions import TaskLockedException

from console.core.errors import SourceUnavailable
from console.core.hueys import worker_huey
from console.core.settings import Settings
from console.core.store.ledger import JobRun
from jobs import schedule
from jobs.collection import Outcome
from jobs.context import JobContext
from jobs.ledger import RunRecorder

log = logging.getLogger("stackwatch.worker")


def run_job(ctx: JobContext, recorder: RunRecorder, huey: Huey, name: str, task: Any) -> Any:
    """Run one job under its lock; record the run; set the next retry's delay on failure."""
    started, t0 = time.time(), time.monotonic()
    try:
        with huey.lock_task(name):
            result = schedule.job_functions()[name](ctx)
            if isinstance(result, Outcome):
                result.fail_if_errors()
    except TaskLockedException:
        recorder.record(JobRun(ctx.host, name, started, 0.0, "locked", "already running"))
        return None  # another consumer runs it right now: not a failure, not retried
    except Exception as exc:  # recorded, then re-raised for huey's retry and error signals
        left = int(getattr(task, "retries", 0) or 0)
        if left and task is not None:
            task.retry_delay = schedule.retry_delay(left)
        outcome = "retrying" if left else "error"
        error = str(exc) if isinstance(exc, SourceUnavailable) else f"{type(exc).__name__}: {exc}"
        duration = (time.monotonic() - t0) * 1000
        recorder.record(JobRun(ctx.host, name, started, duration, outcome, error[:2000]))
        raise
    duration = (time.monotonic() - t0) * 1000
    recorder.record(JobRun(ctx.host, name, started, duration, "ok"))
    return result


def register(huey: Huey, ctx: JobContext) -> dict[str, Any]:
    """Define our periodic tasks on `huey`; returns name -> task wrapper."""
    recorder = RunRecorder(ctx)
    tasks = {}
    for entry in schedule.schedule(ctx.settings):

        def job(task: Any = None, _name: str = entry.name) -> Any:
            return run_job(ctx, recorder, huey, _name, task)

        tasks[entry.name] = huey.periodic_task(
            schedule.Due(entry, ctx.settings.timezone),
            retries=entry.retries,
            retry_delay=schedule.RETRY_DELAYS[0] if entry.retries else 0,
            context=True,
            name=entry.name,
            expires=entry.expires,
        )(job)
    return tasks


def build(settings: Settings, ctx: JobContext | None = None) -> tuple[Huey, JobContext, dict]:
    """huey + job context + tasks, instrumented so our own jobs show in the console."""
    from console.core.jobsignals import JobRecorder

    huey = worker_huey(settings)
    ctx = ctx or JobContext(settings)
    ctx.huey = huey
    tasks = register(huey, ctx)
    # shown on the queues screen, but not counted in the host's job throughput
    recorder = JobRecorder(settings.host, huey.name, ctx.cache, throughput=False)
    huey.signal()(recorder.handle)
    return huey, ctx, tasks
