"""move_process_events: supervisord's events from the cache stream into the store."""

from __future__ import annotations

from console.core.events.mover import move_events
from jobs.collection import Outcome
from jobs.context import JobContext
from jobs.schedule import RETRIES, periodic


@periodic(every="collect_interval", retries=RETRIES)
def move_process_events(ctx: JobContext, now: float | None = None) -> Outcome:
    """Everything `stackwatch events listen` wrote since the last run; raises (and is retried)
    when the cache or database is down, and the events wait in the stream meanwhile."""
    now = ctx.clock() if now is None else now
    # under the store gate's deadline: a hung database must not hold a worker thread
    moved = ctx.store.run(lambda: move_events(ctx.cache, ctx.engine, ctx.host, now))
    notes = [
        f"{moved.invalid} invalid skipped" if moved.invalid else "",
        f"{moved.duplicates} delivered twice, stored once" if moved.duplicates else "",
        f"{moved.lost} LOST before the stream (see the LOST rows)" if moved.lost else "",
    ]
    note = "; ".join(n for n in notes if n)
    return Outcome(
        wrote=[f"database: {moved.stored} process_events rows" + (f" ({note})" if note else "")]
    )
