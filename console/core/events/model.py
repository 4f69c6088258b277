"""One process event as stackwatch keeps it, parsed at one boundary from supervisord or the cache.

supervisord hands a listener a header and a payload of `key:value` tokens; the listener turns
them into a `ProcessEvent` and writes it to the cache as a JSON item. Whatever comes back from
the cache is parsed again by `from_item`: an item that does not fit is `None` (skipped and
counted by the reader), never an exception further in.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

from console.core.sanitize import clean

PROCESS, GROUP, SUPERVISOR = "process", "group", "supervisor"
KINDS = (PROCESS, GROUP, SUPERVISOR)
# The event names we subscribe to (supervisord's `events=` line of the listener section).
SUBSCRIBED = ("PROCESS_STATE", "PROCESS_GROUP", "SUPERVISOR_STATE_CHANGE")
STATE_PREFIX = "PROCESS_STATE_"
MAX_NAME = 255


@dataclass(frozen=True)
class ProcessEvent:
    """A transition: a program's state, a group added/removed, supervisord running/stopping."""

    ts: float
    endpoint: str
    kind: str  # process | group | supervisor
    program: str  # group:name for a process; the group for a group event; "" for supervisord
    to_state: str  # a process state; ADDED/REMOVED for a group; RUNNING/STOPPING for supervisord
    from_state: str | None = None
    pid: int | None = None
    expected: bool | None = None  # of an exit: was the code one of the program's exitcodes
    exitstatus: int | None = None  # the code, -1 when killed by a signal (as supervisord says)
    detail: str | None = None  # supervisord's words: "exit status 3", "terminated by SIGKILL"
    tries: int | None = None
    stream_id: str | None = None  # the cache stream's entry id, once it has one
    serial: int | None = None  # supervisord's number for it in our pool (poolserial)
    run: int | None = None  # which run of supervisord numbered it (its pid)

    @property
    def is_start(self) -> bool:
        return self.kind == PROCESS and self.to_state == "STARTING"

    def to_item(self) -> dict[str, Any]:
        item = {k: v for k, v in asdict(self).items() if v is not None}
        item.pop("stream_id", None)  # the stream gives the id
        return item


def parse_tokens(data: str) -> dict[str, str]:
    """supervisord's `key:value key:value` line (header or the first payload line)."""
    pairs = (token.split(":", 1) for token in data.split())
    return {k: v for k, *rest in pairs for v in rest}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 20:
        return int(value)
    return None


def _name(value: Any) -> str:
    return clean(str(value), MAX_NAME) if value is not None else ""


def from_supervisor(
    eventname: str,
    payload: str,
    endpoint: str,
    now: float,
    serial: int | None = None,
    run: int | None = None,
) -> ProcessEvent | None:
    """The event supervisord sent (numbered `serial` by its `run`), or None when it is not
    one we keep."""
    event = _from_supervisor(eventname, payload, endpoint, now)
    return None if event is None else replace(event, serial=serial, run=run)


def _from_supervisor(
    eventname: str, payload: str, endpoint: str, now: float
) -> ProcessEvent | None:
    fields = parse_tokens(payload.split("\n", 1)[0])
    if eventname.startswith(STATE_PREFIX):
        group, name = _name(fields.get("groupname")), _name(fields.get("processname"))
        return ProcessEvent(
            ts=now,
            endpoint=endpoint,
            kind=PROCESS,
            program=f"{group}:{name}",
            to_state=eventname[len(STATE_PREFIX) :],
            from_state=_name(fields.get("from_state")) or None,
            pid=_int(fields.get("pid")),
            expected=None if "expected" not in fields else fields["expected"] == "1",
            tries=_int(fields.get("tries")),
        )
    if eventname in ("PROCESS_GROUP_ADDED", "PROCESS_GROUP_REMOVED"):
        to_state = eventname.rsplit("_", 1)[1]
        return ProcessEvent(now, endpoint, GROUP, _name(fields.get("groupname")), to_state)
    if eventname.startswith("SUPERVISOR_STATE_CHANGE_"):
        return ProcessEvent(now, endpoint, SUPERVISOR, "", eventname.rsplit("_", 1)[1])
    return None


def _opt_str(item: dict[str, Any], key: str, limit: int = MAX_NAME) -> str | None:
    value = item.get(key)
    return clean(value, limit) if isinstance(value, str) else None


def from_item(item: dict[str, Any], stream_id: str | None = None) -> ProcessEvent | None:
    """An event read back from the cache, or None when the item is not a valid event."""
    ts, kind, to_state = item.get("ts"), item.get("kind"), item.get("to_state")
    if isinstance(ts, bool) or not isinstance(ts, int | float) or not math.isfinite(ts):
        return None
    if kind not in KINDS or not isinstance(to_state, str) or not to_state:
        return None
    expected = item.get("expected")
    return ProcessEvent(
        ts=float(ts),
        endpoint=_opt_str(item, "endpoint") or "",
        kind=kind,
        program=_opt_str(item, "program") or "",
        to_state=clean(to_state, 16),
        from_state=_opt_str(item, "from_state", 16),
        pid=_int(item.get("pid")),
        expected=expected if isinstance(expected, bool) else None,
        exitstatus=_int(item.get("exitstatus")),
        detail=_opt_str(item, "detail", 200),
        tries=_int(item.get("tries")),
        stream_id=stream_id,
        serial=_int(item.get("serial")),
        run=_int(item.get("run")),
    )
