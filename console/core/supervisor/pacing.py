"""When the Processes screen must ask supervisord again, and how the rows age in between.

A full `getAllProcessInfo` at 1000 programs costs supervisord more than `supervisorctl status`
does, so the feed asks only when it may have changed:
- the event listener runs (and we follow its stream): when events arrived, else every
  SAFETY_POLLS refreshes as a safety net;
- no listener: every refresh after a change, backing off one refresh per unchanged poll up to
  MAX_BACKOFF refreshes; a change or a key press (`snap`) brings it back to every refresh.
Between polls the last snapshot is shown with its clocks advanced (`aged`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from console.core.supervisor.models import ProcessesSnapshot, ProcessInfo

SAFETY_POLLS = 10  # with the listener: a full poll at least every 10 refreshes
MAX_BACKOFF = 3  # without: at most every 3 refreshes while nothing changes
SLACK = 0.8  # a tick a little early (timer jitter) still counts as due


def signature(processes: Iterable[ProcessInfo]) -> tuple:
    """What a poll can change that matters, without the clocks and descriptions that move
    every second."""
    return tuple(
        (p.endpoint, p.group, p.name, p.state, p.pid, p.start, p.stop, p.exitstatus, p.spawnerr)
        for p in processes
    )


class Pacer:
    """Decides per tick whether the feed polls; touched by one poll thread only."""

    def __init__(self, refresh_s: float) -> None:
        self.refresh_s = refresh_s
        self.backoff = 1
        self.last_poll = float("-inf")
        self.last_signature: tuple | None = None
        self.events = False  # events arrived since the last poll began (set by the follower)
        self.polls = 0

    def snap(self) -> None:
        """A key or an action: poll at the next tick, then every refresh again."""
        self.backoff = 1
        self.last_poll = float("-inf")

    def due(self, now: float, listening: bool) -> bool:
        if self.events or self.last_signature is None:
            return True
        every = SAFETY_POLLS if listening else self.backoff
        return now - self.last_poll >= every * self.refresh_s * SLACK

    def polled(self, now: float, processes: Iterable[ProcessInfo], reachable: bool) -> None:
        """After a poll: back off when nothing changed, snap back when something did."""
        found = signature(processes)
        changed = found != self.last_signature or not reachable
        self.backoff = 1 if changed else min(MAX_BACKOFF, self.backoff + 1)
        self.last_signature = found if reachable else None
        self.last_poll = now
        self.polls += 1


def aged(snapshot: ProcessesSnapshot, ts: float) -> ProcessesSnapshot:
    """The snapshot as it would read at `ts`: supervisord's clock and the running
    descriptions moved on by the time since (states unchanged: nothing reported a change)."""
    delta = int(ts - snapshot.ts)
    if delta <= 0:
        return dataclasses.replace(snapshot, ts=ts)
    processes = tuple(_aged(p, delta) for p in snapshot.processes)
    return dataclasses.replace(snapshot, ts=ts, processes=processes)


def _aged(p: ProcessInfo, delta: int) -> ProcessInfo:
    now = p.now + delta if p.now else 0
    description = p.description
    if p.statename == "RUNNING" and p.start and description.startswith("pid "):
        # supervisord's own words: 'pid %s, uptime %s' % (pid, timedelta)
        description = f"pid {p.pid}, uptime {dt.timedelta(seconds=max(0, now - p.start))}"
    return dataclasses.replace(p, now=now, description=description)
