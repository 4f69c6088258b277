"""doctor's view of the worker's jobs, by the table the worker published with its heartbeat
(never the console's own settings: the worker may run with other intervals)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from console.core.doctor_model import FAIL, OK, WARN, Check, age_text
from console.core.errors import SourceUnavailable
from console.core.sanitize import clean
from console.core.settings import Settings
from console.core.worker_info import WorkerInfo, parse_worker_info

NO_TABLE_FIX = "start the worker (a current one publishes its schedule with its heartbeat)"


def published_by_worker(settings: Settings) -> WorkerInfo | None:
    """What `settings.host`'s worker published with its last heartbeat (None: nothing)."""
    from console.core.cache import open_cache

    cache = open_cache(settings)
    try:
        beat = cache.heartbeat(settings.host)
    except SourceUnavailable:
        return None  # the cache checks say why
    finally:
        cache.close()
    return parse_worker_info(beat.payload, beat.ts) if beat.ok and beat.ts else None


def intervals(settings: Settings, worker: WorkerInfo | None) -> tuple[float, float]:
    """(collect, store) intervals: the worker's own, else the settings' (no worker yet)."""
    if worker is None:
        return settings.collect_interval, settings.store_interval
    collect = worker.interval(settings.collect_interval)
    return collect, float(worker.store_interval or settings.store_interval)


def check_jobs(runs: Sequence, worker: WorkerInfo | None, now: float) -> Iterator[Check]:
    """Each published job: never ran, failed, MISSED (older than two periods), or ok."""
    if worker is None or not worker.schedule:
        yield Check("jobs", "schedule", WARN, "no schedule published by the worker", NO_TABLE_FIX)
        return
    by_job = {r.job: r for r in runs}
    for spec in worker.schedule:
        every = spec.every or 86400
        run = by_job.get(spec.name)
        if run is None:
            status = FAIL if spec.every else WARN  # a daily job may simply not be due yet
            yield Check("jobs", spec.name, status, "has never run", "start the worker")
            continue
        age = now - run.started
        if run.outcome == "error":
            yield Check(
                "jobs",
                spec.name,
                FAIL,
                f"failed {age_text(age)}: {clean(run.error or '')}",
                "see the worker's stderr log: stackwatch logs stackwatch-worker --stderr",
            )
        elif age > 2 * every + 60:
            yield Check(
                "jobs",
                spec.name,
                FAIL,
                f"MISSED: last ran {age_text(age)}",
                "is the worker running?",
            )
        else:
            yield Check("jobs", spec.name, OK, f"{run.outcome} {age_text(age)}")
