"""The fleet view's feed: one row per host that reports to this Redis, worst first.

`read_fleet(redis, now)` is the whole poll: one pipeline of two HGETALLs (heartbeats and the
summaries the workers publish), whatever the number of hosts, parsed here into `FleetRow`s.
A host keeps its row after its worker stops (DOWN, with its last time) until `remove_host`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from console.core import keys
from console.core.cache.base import host_names, parse_latest
from console.core.errors import SourceUnavailable
from console.core.fleet.summary import HostSummary, parse_summary
from console.core.parse import Invalid
from console.core.sanitize import clean, first_line
from console.core.sources import parse_worker_store

OK, STALE, BAD, DOWN = "ok", "stale", "bad", "down"
RANK = {DOWN: 0, BAD: 1, STALE: 2, OK: 3}
STALE_AFTER, DOWN_AFTER = 2, 5  # collection intervals without a heartbeat
DEFAULT_INTERVAL = 60.0


@dataclass(frozen=True)
class FleetRow:
    """One host: its state (ok, stale, bad, down) and why, its worker and its summary."""

    host: str
    state: str
    why: str
    beat_ts: float | None
    interval: float
    store: str
    summary: HostSummary | None = None

    @property
    def problems(self) -> int:
        s = self.summary
        return 0 if s is None else s.fatal + s.backoff + s.endpoints_down + (s.alerts or 0)


@dataclass(frozen=True)
class FleetView:
    """Every host, worst first; `error` says why nothing can be told (Redis down, none)."""

    ts: float
    rows: tuple[FleetRow, ...] = ()
    invalid: tuple[Invalid, ...] = ()
    error: str = ""

    def exit_code(self) -> int:
        """0 all fine, 1 some host down or bad (or stale), 2 cannot tell."""
        if self.error:
            return 2
        return 0 if all(r.state == OK for r in self.rows) else 1


def _field_map(raw: dict | None) -> dict[str, bytes]:
    """A hash's fields by host name (names that are not ours are left out)."""
    out: dict[str, bytes] = {}
    for name, value in (raw or {}).items():
        found = host_names([name])
        if found:
            out[found[0]] = value
    return out


@dataclass(frozen=True)
class Beat:
    """What the fleet needs of a heartbeat: when, the worker's interval, its store state."""

    ts: float
    interval: float
    store: str


def parse_beat(raw: Any) -> Beat | None:
    """A heartbeat field; None when it is not one a worker writes."""
    latest = parse_latest(raw, "heartbeat")
    if not latest.ok or latest.ts is None or not isinstance(latest.payload, dict):
        return None
    payload = latest.payload
    interval = payload.get("collect_interval")
    ok_interval = isinstance(interval, int) and not isinstance(interval, bool) and interval > 0
    store_state = parse_worker_store(payload.get("store"))
    store = store_state.status if store_state is not None else "unknown"
    return Beat(latest.ts, float(interval) if ok_interval else DEFAULT_INTERVAL, store)


class Parsed:
    """Parses kept between polls for fields that did not change: a worker rewrites its own
    once a collection, a console reads them all every few seconds."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], tuple[bytes, Any]] = {}

    def get(self, kind: str, host: str, raw: bytes, parse: Callable[[bytes], Any]) -> Any:
        hit = self._seen.get((kind, host))
        if hit is not None and hit[0] == raw:
            return hit[1]
        value = parse(raw)
        self._seen[(kind, host)] = (raw, value)
        return value

    def keep(self, hosts: set[str]) -> None:
        """Forget the hosts no longer listed (removed ones)."""
        self._seen = {k: v for k, v in self._seen.items() if k[1] in hosts}


def _judge(host: str, beat: Beat | None, summary: HostSummary | None, now: float) -> FleetRow:
    """A host's state from its heartbeat's age (by its own interval) and its summary."""
    interval = beat.interval if beat is not None else DEFAULT_INTERVAL
    last = beat.ts if beat is not None else (summary.ts if summary else None)
    store = beat.store if beat is not None else "unknown"
    age = None if last is None else max(0.0, now - last)
    row = dict(host=host, beat_ts=last, interval=interval, store=store, summary=summary)
    if age is None or age > DOWN_AFTER * interval:
        why = "no heartbeat" if age is None else "stopped reporting"
        return FleetRow(state=DOWN, why=why, **row)
    bad = _bad(summary, store)
    if bad:
        return FleetRow(state=BAD, why=bad, **row)
    if age > STALE_AFTER * interval:
        return FleetRow(state=STALE, why="heartbeat late", **row)
    return FleetRow(state=OK, why="", **row)


def _bad(summary: HostSummary | None, store: str) -> str:
    parts = []
    if summary is not None:
        if summary.alerts:
            parts.append(f"{summary.alerts} alert{'s' if summary.alerts > 1 else ''} firing")
        if summary.fatal:
            parts.append(f"{summary.fatal} FATAL")
        if summary.backoff:
            parts.append(f"{summary.backoff} BACKOFF")
        if summary.endpoints_down:
            parts.append(f"{summary.endpoints_down} supervisord down")
    if store not in ("ok", "unknown"):
        parts.append(f"db {store}")
    return ", ".join(parts)


def read_fleet(redis: Any, now: float, parsed: Parsed | None = None) -> FleetView:
    """Every host reporting to `redis`, in one round trip; worst first. `parsed`: parses
    kept from the last poll (a console's feed keeps one), so unchanged fields cost nothing."""
    import redis as redis_lib

    try:
        pipe = redis.pipeline(transaction=False)
        pipe.hgetall(keys.HEARTBEAT)
        pipe.hgetall(keys.FLEET_SUMMARY)
        beats_raw, summaries_raw = pipe.execute()
    except (redis_lib.ConnectionError, redis_lib.TimeoutError) as exc:
        return FleetView(now, error=f"Redis: {first_line(str(exc)) or type(exc).__name__}")
    except redis_lib.ResponseError as exc:
        return FleetView(now, error=f"Redis: {first_line(str(exc))}")
    beats, summaries = _field_map(beats_raw), _field_map(summaries_raw)
    parsed = parsed if parsed is not None else Parsed()
    hosts = set(beats) | set(summaries)
    parsed.keep(hosts)
    rows, invalid = [], []
    for host in sorted(hosts):
        summary = None
        if host in summaries:
            summary = parsed.get("summary", host, summaries[host], partial(parse_summary, host))
        if isinstance(summary, Invalid):
            invalid.append(summary)
            summary = None
        beat = parsed.get("beat", host, beats[host], parse_beat) if host in beats else None
        rows.append(_judge(host, beat, summary, now))
    rows.sort(key=lambda r: (RANK[r.state], -r.problems, r.host))
    return FleetView(now, tuple(rows), tuple(invalid))


def remove_host(redis: Any, host: str) -> int:
    """Forget a host: its heartbeat, summary, latest values and process list (its worker,
    if it still runs, reappears at its next collection). The number of entries removed."""
    import redis as redis_lib

    try:
        pipe = redis.pipeline(transaction=True)
        pipe.hdel(keys.HEARTBEAT, host)
        pipe.hdel(keys.FLEET_SUMMARY, host)
        for kind in keys.LATEST_KINDS:
            pipe.hdel(keys.latest(kind), host)
        pipe.delete(keys.fleet_processes(host))
        return sum(int(n) for n in pipe.execute())
    except (redis_lib.ConnectionError, redis_lib.TimeoutError) as exc:
        raise SourceUnavailable(f"Redis: {first_line(str(exc))}") from None
    except redis_lib.ResponseError as exc:  # NOPERM: a read-only Redis user
        raise SourceUnavailable(f"Redis refused: {first_line(str(exc))}") from None


class FleetFeed(Protocol):
    def poll(self, as_of: float | None = None) -> FleetView: ...
    def remove(self, host: str) -> str:
        """Forget `host` (audited); what happened, in words."""
        ...

    def close(self) -> None: ...


class LiveFleet:
    """The fleet over the console's shared Redis client."""

    def __init__(self, connections: Any, clock: Callable[[], float] = time.time) -> None:
        self.connections = connections
        self.clock = clock
        self._parsed = Parsed()  # polls come from one thread at a time (the screen's)

    def poll(self, as_of: float | None = None) -> FleetView:
        now = self.clock()
        if as_of is not None:
            return FleetView(as_of, error="the fleet view shows the present only")
        redis = self.connections.redis()
        if redis is None:
            return FleetView(now, error="no Redis configured: the fleet needs a shared Redis")
        return read_fleet(redis, now, self._parsed)

    def remove(self, host: str) -> str:
        from console.core.store import audit

        redis = self.connections.redis()
        if redis is None:
            return "no Redis configured"
        shown = clean(host, 255)
        try:
            removed = remove_host(redis, host)
        except SourceUnavailable as exc:
            return f"{shown} not removed: {exc}"
        result = f"removed {removed} entries of {shown}"
        entry = audit.entry(self.connections.settings.host, "remove_host", shown, "", result)
        try:
            audit.record(self.connections.engine(), [entry])
        except SourceUnavailable as exc:
            return f"{result}; not audited: {exc}"
        return result

    def close(self) -> None:
        """The Redis client belongs to the connections."""
