"""The cache interface both backends implement, and the validation of stored payloads."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from console.core.parse import Unfit, decode_json, kind_of, number, utf8
from console.core.sanitize import first_line

MAX_PAYLOAD_BYTES = 1 << 20  # a "latest" entry larger than this is not ours: read as invalid
MAX_HOST_CHARS = 255
MAX_ITEM_BYTES = 64 << 10  # one sample of a recent list, one job event, one in-flight entry


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


def parse_latest(raw: bytes | str | None, what: str = "entry") -> Latest:
    """Validate a stored payload: bounded UTF-8 JSON object with a finite numeric ts."""
    if raw is None:
        return MISSING
    try:
        payload = decode_json(raw, what, max_bytes=MAX_PAYLOAD_BYTES)
        if not isinstance(payload, dict):
            raise Unfit(f"{what} is {kind_of(payload)}, expected a JSON object")
        if "ts" not in payload:
            raise Unfit(f"{what} has no timestamp")
        ts = number(payload["ts"], f"{what} timestamp")
    except Unfit as exc:
        return Latest("invalid", error=first_line(str(exc)))
    return Latest("ok", payload=payload, ts=float(ts))


def parse_item(raw: bytes | str) -> dict[str, Any] | None:
    """A list/map item: a bounded JSON object, else None (readers skip what does not fit)."""
    try:
        item = decode_json(raw, "item", max_bytes=MAX_ITEM_BYTES, depth=8)
    except Unfit:
        return None
    return item if isinstance(item, dict) else None


def host_names(fields: Iterable[bytes | str]) -> list[str]:
    """Host names from a latest hash's fields, sorted. A name that is not UTF-8, empty or
    longer than a host name can be was not written by a worker: it is left out."""
    names = set()
    for raw in fields:
        try:
            name = utf8(raw, "host name")
        except Unfit:
            continue
        if 0 < len(name) <= MAX_HOST_CHARS:
            names.add(name)
    return sorted(names)


@dataclass(frozen=True)
class StreamEntry:
    """One entry of a capped stream: its id ("<ms>-<seq>", growing) and its item."""

    id: str
    item: dict[str, Any]


def stream_key(entry_id: str) -> tuple[int, int]:
    """An entry id as a sortable pair; an id that is not ours sorts first."""
    ms, _, seq = entry_id.partition("-")
    try:
        return int(ms), int(seq or 0)
    except ValueError:
        return -1, -1


def stream_entries(rows: list[tuple[Any, Any]]) -> list[StreamEntry]:
    """(id, raw JSON) pairs as entries; an item that is not a JSON object is skipped."""
    out = []
    for entry_id, raw in rows:
        item = parse_item(raw) if raw is not None else None
        if item is not None:
            text = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
            out.append(StreamEntry(text, item))
    return out


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
    def stream_add(self, name: str, item: dict[str, Any], maxlen: int) -> str: ...
    def stream_after(self, name: str, after: str, count: int) -> list[StreamEntry]: ...
    def stream_tail(self, name: str, count: int) -> list[StreamEntry]: ...
    def close(self) -> None: ...
