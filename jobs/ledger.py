"""Every job run goes to the cache at once (last run per job) and to `job_runs` when the
database is reachable; runs that could not be written wait (bounded) for the next chance."""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict

from console.core import keys
from console.core.errors import SourceUnavailable
from console.core.store import ledger
from console.core.store.ledger import JobRun
from console.core.throttle import RepeatFilter
from jobs.context import JobContext

MAX_PENDING = 500
log = logging.getLogger("stackwatch.worker")
log.addFilter(RepeatFilter())


class RunRecorder:
    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.pending: list[JobRun] = []
        self._lock = threading.Lock()

    def record(self, run: JobRun) -> None:
        """Record a run; never raises (a failing ledger must not fail the job a second time)."""
        item = {**asdict(run), "ts": run.started}
        try:
            self.ctx.cache.map_set(keys.job_runs(run.host), run.job, item)
        except SourceUnavailable as exc:
            log.warning("job ledger: cache unavailable: %s", exc)
        with self._lock:
            batch = [*self.pending, run][-MAX_PENDING:]
            self.pending = []
        try:
            self.ctx.store.run(lambda: ledger.record_runs(self.ctx.engine, batch))
        except SourceUnavailable:  # the store gate has said so, once per outage
            with self._lock:
                self.pending = (batch + self.pending)[-MAX_PENDING:]
