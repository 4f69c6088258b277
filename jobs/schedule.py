"""How the schedule runs: retries, lock and expiry for each periodic job.

Which job runs when is described once, in `console.core.periodic.our_schedule` (the console
reads it too, to show missed runs).

collect_system_metrics and reset_tps_counter run every `collect_interval` seconds (60 by
default: every minute), store_metrics every `store_interval` (300), cleanup_old_metrics daily
at `cleanup_hour` in `timezone`. Tests shorten the intervals through settings.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from console.core.periodic import our_schedule
from console.core.settings import Settings

RETRY_DELAYS = (10, 30, 60)  # seconds before the 1st, 2nd and 3rd retry of a database job


@dataclass(frozen=True)
class Entry:
    """One periodic job: `every` seconds, or daily at `daily_hour` (local to the timezone)."""

    name: str
    every: int | None = None
    daily_hour: int | None = None
    retries: int = 0

    @property
    def expires(self) -> int:
        """A queued run older than this is dropped, so an outage never ends in a burst; a job
        with retries lives long enough for its last retry."""
        base = max(self.every or 3600, 2)
        return base + 2 * sum(RETRY_DELAYS) if self.retries else base


# Jobs that write the database retry 3 times; the minute jobs simply run again next minute.
RETRYING_JOBS = frozenset({"store_metrics", "cleanup_old_metrics", "move_process_events"})


def schedule(settings: Settings) -> tuple[Entry, ...]:
    """The worker's entries, built from the one description the console shares."""
    return tuple(
        Entry(
            spec.name,
            every=spec.every,
            daily_hour=spec.daily_hour,
            retries=len(RETRY_DELAYS) if spec.name in RETRYING_JOBS else 0,
        )
        for spec in our_schedule(settings)
    )


def tick(settings: Settings) -> int:
    """How often the scheduler checks periodic jobs: the largest step that divides them all."""
    step = math.gcd(settings.collect_interval, settings.store_interval)
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
