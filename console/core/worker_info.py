"""What a worker publishes with its heartbeat: when it beat, its version and start time, its
intervals and its schedule table. Read back here, once, into a frozen `WorkerInfo`, so every
console judges staleness and MISSED runs by that worker's own settings.

A heartbeat from an older worker (no schedule) or with unusable fields gives `schedule=()`
and the fields it had; nothing here raises for foreign data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.core.periodic import PeriodicSpec
from console.core.sanitize import clean

MAX_JOBS = 64  # a published table longer than this is foreign data: ignore the rest


@dataclass(frozen=True)
class WorkerInfo:
    """One worker's heartbeat and published table (None where it did not say)."""

    ts: float
    version: str | None = None
    started: float | None = None
    collect_interval: int | None = None
    store_interval: int | None = None
    timezone: str | None = None
    schedule: tuple[PeriodicSpec, ...] = ()

    def interval(self, fallback: float) -> float:
        """The worker's collection interval, or `fallback` when it did not publish one."""
        return float(self.collect_interval) if self.collect_interval else fallback


def _number(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok and value == value and abs(value) < 1e12 else None


def _positive_int(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number >= 1 else None


def _spec(item: Any) -> PeriodicSpec | None:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        return None
    every, hour = _positive_int(item.get("every")), _number(item.get("daily_hour"))
    hour = int(hour) if hour is not None and 0 <= hour <= 23 else None
    if (every is None) == (hour is None):
        return None  # exactly one timing, or the row means nothing
    retries = _positive_int(item.get("retries")) or 0
    return PeriodicSpec(
        clean(item["name"], 200), every, hour, min(retries, 10), _positive_int(item.get("expires"))
    )


def parse_worker_info(payload: Any, ts: float) -> WorkerInfo:
    """A heartbeat payload (already checked to be a JSON object with `ts`) -> WorkerInfo."""
    payload = payload if isinstance(payload, dict) else {}
    rows = payload.get("schedule")
    rows = rows[:MAX_JOBS] if isinstance(rows, list) else []
    zone = payload.get("timezone")
    version = payload.get("version")
    return WorkerInfo(
        ts=ts,
        version=clean(version, 40) if isinstance(version, str) else None,
        started=_number(payload.get("started")),
        collect_interval=_positive_int(payload.get("collect_interval")),
        store_interval=_positive_int(payload.get("store_interval")),
        timezone=clean(zone, 64) if isinstance(zone, str) else None,
        schedule=tuple(spec for spec in map(_spec, rows) if spec is not None),
    )


def safe_zone(name: str) -> str:
    """`name` when it is a time zone this machine knows, else "UTC" (a published zone is
    outside data: it must never end the ledger)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name
