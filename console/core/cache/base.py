"""The cache interface both backends implement, and the validation of stored payloads."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

MAX_PAYLOAD_BYTES = 1 << 20  # a "latest" entry larger than this is not ours: read as invalid


@dataclass(frozen=True)
class Latest:
    """A cache entry as read: status is ok, missing or invalid (with why)."""

    status: str
    payload: dict[str, Any] | None = None
    ts: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def age(self, now: float) -> float | None:
        return None if self.ts is None else max(0.0, now - self.ts)


MISSING = Latest("missing")


def parse_latest(raw: bytes | str | None) -> Latest:
    """Validate a stored payload: UTF-8 JSON object with a numeric ts, not huge."""
    if raw is None:
        return MISSING
    if len(raw) > MAX_PAYLOAD_BYTES:
        return Latest("invalid", error=f"entry is {len(raw)} bytes, larger than expected")
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        payload = json.loads(text)
    except UnicodeDecodeError:
        return Latest("invalid", error="entry is not UTF-8 text")
    except ValueError:
        return Latest("invalid", error="entry is not JSON")
    if not isinstance(payload, dict):
        return Latest("invalid", error="entry is not a JSON object")
    ts = payload.get("ts")
    if isinstance(ts, bool) or not isinstance(ts, int | float) or not math.isfinite(ts):
        return Latest("invalid", error="entry has no timestamp")
    return Latest("ok", payload=payload, ts=float(ts))


def parse_item(raw: bytes | str) -> dict[str, Any] | None:
    """A list/map item: a JSON object, else None (skipped by readers)."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        item = json.loads(text)
    except (UnicodeDecodeError, ValueError):
        return None
    return item if isinstance(item, dict) else None


def dump(item: dict[str, Any]) -> str:
    return json.dumps(item, separators=(",", ":"), default=str)


class Cache(Protocol):
    """Latest values, heartbeat, atomic counters, capped lists and maps.

    Every method raises SourceUnavailable when the backend cannot be reached.
    """

    def ping(self) -> None: ...
    def put_latest(self, kind: str, host: str, payload: dict[str, Any]) -> None: ...
    def get_latest(self, kind: str, host: str) -> Latest: ...
    def latest_hosts(self, kind: str) -> list[str]: ...
    def beat(self, host: str, info: dict[str, Any]) -> None: ...
    def heartbeat(self, host: str) -> Latest: ...
    def incr(self, name: str, amount: int = 1) -> int: ...
    def take(self, name: str) -> int: ...
    def push(self, name: str, item: dict[str, Any], maxlen: int, clear: Sequence[str] = ()) -> None:
        """Append `item` (keeping the newest `maxlen`) and delete the `clear` keys, atomically."""
        ...

    def drain(self, name: str) -> list[dict[str, Any]]: ...
    def claim_count(self, name: str, staged: str) -> int:
        """Atomically add counter `name` into counter `staged` and delete it; the staged total."""
        ...

    def claim_items(self, name: str, staged: str, maxlen: int = 0) -> list[dict[str, Any]]:
        """Atomically move list `name` to the end of list `staged` (newest `maxlen` kept when
        > 0); every staged item, oldest first. Staged values stay until a `clear`, so a crash
        between claiming and storing loses nothing: the next claim finds them again."""
        ...

    def clear(self, names: Sequence[str]) -> None: ...
    def items(self, name: str, limit: int) -> list[dict[str, Any]]: ...
    def map_set(self, name: str, field: str, item: dict[str, Any]) -> None: ...
    def map_del(self, name: str, field: str) -> None: ...
    def map_all(self, name: str) -> dict[str, dict[str, Any]]: ...
    def close(self) -> None: ...
