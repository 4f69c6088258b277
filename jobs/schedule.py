"""The schedule table: each periodic job is declared at its function with `@periodic(...)`
(name, timing, retries), as huey's own `@periodic_task` would be; this module reads the table
for the worker (huey entries), `stackwatch collect`, and what the worker publishes with its
heartbeat (so the console, `doctor` and the ledger judge by the worker's own table).

Timings name a setting: collect_system_metrics and reset_tps_counter run every
`collect_interval` seconds (60 by default), store_metrics every `store_interval` (300),
cleanup_old_metrics daily at `cleanup_hour` in `timezone`. Tests shorten them through settings.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from console.core.periodic import PeriodicSpec
from console.core.settings import Settings

RETRY_DELAYS = (10, 30, 60)  # seconds before the 1st, 2nd and 3rd retry of a database job
RETRIES = len(RETRY_DELAYS)  # jobs that write the database retry; minute jobs just run again
# The modules holding periodic jobs, imported to fill the table (in this order).
JOB_MODULES = (
    "jobs.collection",
    "jobs.performance",
    "jobs.maintenance",
    "jobs.events",
    "jobs.alerts",
)

Entry = PeriodicSpec  # one row of the table as the worker runs it and publishes it


@dataclass(frozen=True)
class Declared:
    """A job as declared at its function: timings are names of settings."""

    function: Callable[..., Any]
    every: str | None = None  # a Settings field holding the interval in seconds
    daily_at: str | None = None  # a Settings field holding the local hour
    retries: int = 0

    @property
    def name(self) -> str:
        return self.function.__name__


_TABLE: dict[str, Declared] = {}


def periodic(
    every: str | None = None, daily_at: str | None = None, retries: int = 0
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare the decorated `function(ctx, now=None)` a periodic job of the worker."""

    def declare(function: Callable[..., Any]) -> Callable[..., Any]:
        _TABLE[function.__name__] = Declared(function, every, daily_at, retries)
        return function

    return declare


def declared() -> tuple[Declared, ...]:
    """Every declared job, in module then declaration order."""
    for module in JOB_MODULES:
        importlib.import_module(module)

    def place(job: Declared) -> tuple[int, int]:
        module = job.function.__module__
        rank = JOB_MODULES.index(module) if module in JOB_MODULES else len(JOB_MODULES)
        return rank, job.function.__code__.co_firstlineno

    return tuple(sorted(_TABLE.values(), key=place))


def expires(every: int | None, retries: int) -> int:
    """A queued run older than this is dropped, so an outage never ends in a burst; a job
    with retries lives long enough for its last retry."""
    base = max(every or 3600, 2)
    return base + 2 * sum(RETRY_DELAYS) if retries else base


def schedule(settings: Settings) -> tuple[Entry, ...]:
    """The table with the settings' timings: what the worker runs and publishes."""
    entries = []
    for job in declared():
        every = int(getattr(settings, job.every)) if job.every else None
        hour = int(getattr(settings, job.daily_at)) if job.daily_at else None
        entries.append(Entry(job.name, every, hour, job.retries, expires(every, job.retries)))
    return tuple(entries)


def published(settings: Settings) -> dict[str, Any]:
    """What the worker runs, as it publishes it with each heartbeat (read back by
    `console.core.worker_info`)."""
    return {
        "collect_interval": settings.collect_interval,
        "store_interval": settings.store_interval,
        "timezone": settings.timezone,
        "schedule": [
            {
                "name": e.name,
                "every": e.every,
                "daily_hour": e.daily_hour,
                "retries": e.retries,
                "expires": e.expires,
            }
            for e in schedule(settings)
        ],
    }


def job_functions() -> dict[str, Callable[..., Any]]:
    """Job name -> function(ctx)."""
    return {job.name: job.function for job in declared()}


def tick(settings: Settings) -> int:
    """How often the scheduler checks periodic jobs: the largest step that divides them all."""
    step = math.gcd(
        math.gcd(settings.collect_interval, settings.store_interval), settings.alerts_interval
    )
    return max(1, min(step, 60))


def retry_delay(retries_left: int) -> int:
    """Delay before the next try when `retries_left` tries remain (3 -> 10 s, 2 -> 30, 1 -> 60)."""
    index = len(RETRY_DELAYS) - retries_left
    return RETRY_DELAYS[min(max(index, 0), len(RETRY_DELAYS) - 1)]


class Due:
    """huey's validate_datetime for an Entry: due once per slot, however often it is asked.

    huey's scheduler asks every `tick` seconds at an arbitrary offset; remembering the last
    slot fired makes that drift harmless (no double fire, no skipped slot).
    """

    def __init__(self, entry: Entry, timezone: str) -> None:
        self.entry = entry
        self.zone = ZoneInfo(timezone)
        self._last: int | None = None

    def slot(self, when: dt.datetime) -> int | None:
        """The slot number `when` (naive UTC, as huey passes it) falls in; None if not due."""
        epoch = when.replace(tzinfo=dt.UTC).timestamp()
        if self.entry.every:
            return int(epoch // self.entry.every)
        local = dt.datetime.fromtimestamp(epoch, self.zone)
        if local.hour != self.entry.daily_hour:
            return None
        return local.toordinal()

    def __call__(self, when: dt.datetime) -> bool:
        slot = self.slot(when)
        if slot is None or slot == self._last:
            return False
        self._last = slot
        return True
