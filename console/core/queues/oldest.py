"""Age of the oldest pending job, for the queue systems that stamp it (RQ, Laravel).

huey and Celery messages carry no enqueue time, so their age stays unknown (None).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import redis

from console.core.parse import Unfit, decode_json, number


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)


def rq_oldest(client: redis.Redis, queue: str, now: float) -> float | None:
    """RQ pushes to the tail: the head's job hash holds `enqueued_at` (ISO, UTC)."""
    job_id = _text(client.lindex(f"rq:queue:{queue}", 0))
    if not job_id:
        return None
    stamp = _text(client.hget(f"rq:job:{job_id}", "enqueued_at"))
    if not stamp:
        return None
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, now - when.timestamp())


def laravel_oldest(client: redis.Redis, queue: str, now: float) -> float | None:
    """Laravel pushes to the tail; newer versions stamp the payload with `pushedAt`."""
    raw = _text(client.lindex(f"queues:{queue}", 0))
    if not raw:
        return None
    try:
        payload = decode_json(raw, "job payload")
        pushed = payload.get("pushedAt") if isinstance(payload, dict) else None
        if isinstance(pushed, str):  # Laravel writes it as text: "1717171717.1234"
            pushed = float(pushed) if len(pushed) < 40 else None
        return None if pushed is None else max(0.0, now - number(pushed, "pushedAt"))
    except (Unfit, ValueError):
        return None  # not a payload Laravel wrote: its age stays unknown


def oldest_age(client: Any, kind: str, queue: str, now: float) -> float | None:
    """The oldest pending job's age in seconds, when the backend records it."""
    if client is None:
        return None
    try:
        if kind == "rq":
            return rq_oldest(client, queue, now)
        if kind == "laravel":
            return laravel_oldest(client, queue, now)
    except redis.ResponseError:
        return None  # a key of another type: the depth reader already says so
    return None
