"""`stackwatch status --at TIME [--json]`: what the console shows at a past time.

Every value comes from the store: each program's state from the stored events, restart
counts over the hour and day before, the health/queue/performance rows of that minute (or
the hourly rollup, said so), and the events around that time. Exit 0 when something was
stored then, 1 when nothing was, 2 when the time is not one or the store cannot be read.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from dataclasses import asdict
from typing import Any

from console.commands.plain_status import _values
from console.core.events.show import line as event_line
from console.core.sanitize import clean
from console.core.settings import Settings
from console.core.timecursor import TimeInputError, label, parse_at, zone_of


def run_at(settings: Settings, text: str, as_json: bool, now: float | None = None) -> int:
    now = time.time() if now is None else now
    tz = zone_of(settings.timezone)
    try:
        at = parse_at(text, now, tz)
    except TimeInputError as exc:
        print(f"stackwatch: --at: {exc}", file=sys.stderr)
        return 2
    at = now if at is None else at
    from console.core.feeds import build_feeds

    feeds = build_feeds(settings, clock=lambda: now)
    try:
        cache = feeds.dashboard.read_cache(settings.host, as_of=at)
        view = feeds.processes.poll(settings.host, as_of=at)
    finally:
        feeds.close()
    if not cache.ok:
        print(f"stackwatch: database: {cache.reason}", file=sys.stderr)
        return 2
    stored = bool(view.snapshot.processes) or any((cache.health, cache.queues, cache.performance))
    code = 0 if stored else 1
    if as_json:
        print(json.dumps(_json(settings.host, at, cache, view, code)))
        return code
    print("\n".join(_lines(settings.host, at, now, tz, cache, view)))
    return code


def _lines(host: str, at: float, now: float, tz: dt.tzinfo, cache: Any, view: Any) -> list[str]:
    moment = dt.datetime.fromtimestamp(at, tz).strftime("%Y-%m-%d %H:%M:%S %Z")
    out = [f"stackwatch — host {clean(host, 255)} {label(at, now, tz)} ({moment})"]
    out.append(f"values ({cache.note}):")
    # ages count back from the cursor: "[53s ago]" there reads "[53s earlier]"
    out += [f"  {v}".replace(" ago]", " earlier]") for v in _values(cache, at)]
    out.append("programs (from the stored events):")
    if view.counts_error:
        out.append(f"  {view.counts_error}")
    width = max((len(f"{p.endpoint}/{p.full_name}") for p in view.snapshot.processes), default=0)
    for p in view.snapshot.processes:
        hour, day = view.restarts.get((p.endpoint, p.full_name), (0, 0))
        since = dt.datetime.fromtimestamp(p.start or at, tz).strftime("%m-%d %H:%M:%S")
        pid = f"pid {p.pid}" if p.pid else ""
        extra = f"since {since}" if p.start else p.exit_words
        out.append(
            f"  {p.endpoint + '/' + p.full_name:<{width}}  {p.statename:<9} {pid:<10} {extra}"
            f"  restarts 1h {hour} 1d {day}".rstrip()
        )
    if view.around:
        out.append("events around that time:")
        out += [f"  {'>' if e.ts >= at else ' '} {event_line(e, tz)}" for e in view.around]
    return out


def _json(host: str, at: float, cache: Any, view: Any, code: int) -> dict:
    return {
        "host": host,
        "at": at,
        "exit": code,
        "values_from": cache.note,
        "health": asdict(cache.health) if cache.health else None,
        "performance": asdict(cache.performance) if cache.performance else None,
        "queues": [asdict(q) for q in cache.queues.queues] if cache.queues else [],
        "processes": [
            p.to_dict()
            | {"restarts_1h_1d": list(view.restarts.get((p.endpoint, p.full_name), (0, 0)))}
            for p in view.snapshot.processes
        ],
        "processes_error": view.counts_error,
        "events_around": [asdict(e) for e in view.around],
    }
