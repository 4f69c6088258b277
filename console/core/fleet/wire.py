"""Requests to a host's worker and its replies, as JSON, parsed at this one boundary.

A request names a fixed vocabulary (an action on a program, reread/update, one bounded log
read); nothing in it is code, so a console needs write access only to the fleet's request
lists, never to huey's queue of pickles.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import Any

from console.core.cache.base import dump
from console.core.parse import Unfit, decode_json, kind_of, number
from console.core.sanitize import clean
from console.core.supervisor.models import ActionResult, ConfigDiff, Outcome

ACTIONS = frozenset({"start", "stop", "restart", "rolling_restart", "signal", "clear_logs"})
KINDS = frozenset({"act", "reread", "update", "log", "search"})
MUTATING_KINDS = frozenset({"act", "update"})
# Read-only calls a console may have a worker make for it: bounded log pieces only.
LOG_METHODS = frozenset(
    {
        "supervisor.tailProcessStdoutLog",
        "supervisor.tailProcessStderrLog",
        "supervisor.readProcessStdoutLog",
        "supervisor.readProcessStderrLog",
        "supervisor.readLog",
    }
)
MAX_PIECE = 256 * 1024  # bytes of log per reply (the RPC tail reader's own chunk)
MAX_REQUEST_BYTES = 64 << 10
MAX_REPLY_BYTES = 6 * MAX_PIECE + (64 << 10)  # a piece as JSON (\u00XX per control byte)


@dataclass(frozen=True)
class Request:
    """One thing a console asks of one host's worker, to be run before `deadline` or never."""

    id: str
    host: str
    kind: str
    deadline: float  # epoch seconds
    who: str = ""
    origin: str = ""  # the console's host
    endpoint: str = ""
    action: str = ""
    target: str = ""
    signal: str = ""
    diff: ConfigDiff | None = None
    method: str = ""
    name: str = ""
    offset: int = 0
    length: int = 0
    stream: str = "stdout"  # a search: which of the program's logs
    pattern: str = ""  # a search: the regex (plain text arrives escaped)
    flags: str = ""  # a search: "i" ignore case, "v" keep the lines that do not match

    @property
    def mutating(self) -> bool:
        return self.kind in MUTATING_KINDS

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        data["diff"] = dataclasses.asdict(self.diff) if self.diff is not None else None
        return dump(data)


def new_id() -> str:
    return uuid.uuid4().hex


def _text(data: dict, key: str, limit: int = 255) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        raise Unfit(f"{key} is {kind_of(value)} or longer than {limit}")
    return value


def _names(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Unfit(f"{key} is {kind_of(value)}, not a list of names")
    return tuple(clean(v, 255) for v in value[:1000])


def parse_diff(value: Any) -> ConfigDiff:
    if not isinstance(value, dict):
        raise Unfit(f"diff is {kind_of(value)}, not an object")
    parts = {k: _names(value.get(k, []), k) for k in ("added", "changed", "removed", "notes")}
    return ConfigDiff(**parts)


def parse_request(raw: bytes | str) -> Request:
    """A request from the list; raises Unfit (one line) when it is not one a console sends."""
    data = decode_json(raw, "request", max_bytes=MAX_REQUEST_BYTES, depth=4)
    if not isinstance(data, dict):
        raise Unfit(f"a request is {kind_of(data)}, not an object")
    kind = _text(data, "kind")
    if kind not in KINDS:
        raise Unfit(f"unknown request kind {clean(kind, 40)!r}")
    action, method = _text(data, "action"), _text(data, "method")
    if kind == "act" and action not in ACTIONS:
        raise Unfit(f"unknown action {clean(action, 40)!r}")
    if kind == "log" and method not in LOG_METHODS:
        raise Unfit(f"{clean(method, 60)!r} is not a log read")
    length = int(number(data.get("length", 0), "length", integer=True))
    if not 0 <= length <= MAX_PIECE:
        raise Unfit(f"length {length} is outside 0..{MAX_PIECE}")
    stream, flags = _text(data, "stream", 10), _text(data, "flags", 4)
    if kind == "search" and (stream not in ("stdout", "stderr") or set(flags) - set("iv")):
        raise Unfit("a search names stdout or stderr and flags of i and v only")
    request_id = _text(data, "id", 64)
    if not request_id.isalnum():
        raise Unfit("the request id is not alphanumeric")
    return Request(
        id=request_id,
        host=_text(data, "host"),
        kind=kind,
        deadline=float(number(data.get("deadline"), "deadline")),
        who=clean(_text(data, "who", 200), 200),
        origin=clean(_text(data, "origin"), 255),
        endpoint=_text(data, "endpoint"),
        action=action,
        target=_text(data, "target", 1000),
        signal=_text(data, "signal", 20),
        diff=parse_diff(data["diff"]) if data.get("diff") is not None else None,
        method=method,
        name=_text(data, "name", 1000),
        offset=int(number(data.get("offset", 0), "offset", integer=True)),
        length=length,
        stream=stream or "stdout",
        pattern=_text(data, "pattern", 4096),
        flags=flags,
    )


# -- replies ----------------------------------------------------------------------------------

OK, REFUSED, FAILED, TIMED_OUT = "ok", "refused", "error", "timeout"


@dataclass(frozen=True)
class Reply:
    """What came back: `status` ok, refused (read-only worker), error or timeout, and the
    answer for the request's kind (an ActionResult, a ConfigDiff, or a log piece)."""

    status: str
    error: str = ""
    result: ActionResult | None = None
    diff: ConfigDiff | None = None
    data: str = ""
    offset: int = 0
    overflow: bool = False
    lines: tuple = ()  # a search's kept lines (LogLine), oldest first
    size: int = 0  # a search: the file's size
    scanned: int = 0  # a search: bytes this piece looked at

    @property
    def ok(self) -> bool:
        return self.status == OK


def reply_json(request_id: str, status: str, error: str = "", **answer: Any) -> str:
    """The worker's side."""
    if isinstance(answer.get("result"), ActionResult):
        answer["result"] = dataclasses.asdict(answer["result"])
    if isinstance(answer.get("diff"), ConfigDiff):
        answer["diff"] = dataclasses.asdict(answer["diff"])
    return dump({"id": request_id, "status": status, "error": error, **answer})


def _outcome(value: Any) -> Outcome:
    if not isinstance(value, dict):
        raise Unfit(f"an outcome is {kind_of(value)}")
    return Outcome(
        clean(_text(value, "target", 1000), 1000),
        value.get("ok") is True,
        clean(_text(value, "state", 40), 40),
        clean(_text(value, "message", 1000), 500),
    )


def parse_action_result(value: Any) -> ActionResult:
    if not isinstance(value, dict):
        raise Unfit(f"result is {kind_of(value)}, not an object")
    outcomes = value.get("outcomes", [])
    if not isinstance(outcomes, list) or len(outcomes) > 10_000:
        raise Unfit("outcomes is not a list of at most 10000")
    return ActionResult(
        action=clean(_text(value, "action", 40), 40),
        endpoint=clean(_text(value, "endpoint"), 255),
        target=clean(_text(value, "target", 1000), 1000),
        command=clean(_text(value, "command", 2000), 2000),
        outcomes=tuple(_outcome(o) for o in outcomes),
        error=clean(_text(value, "error", 2000), 500),
        seconds=float(number(value.get("seconds", 0.0), "seconds")),
    )


def parse_reply(raw: bytes | str) -> Reply:
    """A reply from the worker; raises Unfit when it is not one."""
    data = decode_json(raw, "reply", max_bytes=MAX_REPLY_BYTES, depth=6)
    if not isinstance(data, dict):
        raise Unfit(f"a reply is {kind_of(data)}, not an object")
    status = _text(data, "status", 20)
    if status not in (OK, REFUSED, FAILED):
        raise Unfit(f"unknown reply status {clean(status, 20)!r}")
    result = data.get("result")
    piece = data.get("data", "")
    if not isinstance(piece, str) or len(piece) > MAX_PIECE * 4:
        raise Unfit("data is not a bounded text")
    from console.core.fleet.search import parse_lines

    try:
        lines = parse_lines(data.get("lines", []))
    except ValueError as exc:
        raise Unfit(str(exc)) from None
    return Reply(
        status=status,
        error=clean(_text(data, "error", 2000), 500),
        result=parse_action_result(result) if result is not None else None,
        diff=parse_diff(data["diff"]) if data.get("diff") is not None else None,
        data=piece,  # log text: the log readers sanitize it line by line, as supervisord's
        offset=int(number(data.get("offset", 0), "offset", integer=True)),
        overflow=data.get("overflow") is True,
        lines=lines,
        size=int(number(data.get("size", 0), "size", integer=True)),
        scanned=int(number(data.get("scanned", 0), "scanned", integer=True)),
    )
