"""One run of a periodic job, as the ledger (`job_runs`) keeps it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobRun:
    """One run of a periodic job."""

    host: str
    job: str
    started: float
    duration_ms: float | None
    outcome: str  # ok | error | retrying | locked | expired
    error: str | None = None
