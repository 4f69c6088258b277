"""huey tasks as the console sees them: scheduled tasks listed, revoked, restored, and failed
tasks enqueued again, all through huey's own API on the queue's storage.

huey stores messages pickled. The console never unpickles arbitrary classes from a queue it
merely watches: a restricted unpickler rebuilds huey's Message, dates and plain containers,
and turns anything else into an inert placeholder that only shows its name. A message is
size-capped, decompressed with a cap and described with a bounded repr; one that does not
fit is an Invalid reading, never an exception.
"""

from __future__ import annotations

import ast
import calendar
import datetime as dt
import io
import pickle
import reprlib
import uuid
from dataclasses import dataclass
from typing import Any

from console.core.parse import Invalid, Unfit, decompress
from console.core.parse import invalid as parse_invalid
from console.core.sanitize import clean

SCHEDULED_LIMIT = 200
_ALLOWED = {
    ("huey.registry", "Message"),
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("collections", "OrderedDict"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "complex"),
    ("builtins", "bytearray"),
    ("builtins", "slice"),
    ("builtins", "range"),
}


class _Labelled(type):
    def __repr__(cls) -> str:
        return f"<{getattr(cls, 'label', '?')}>"


class Opaque(metaclass=_Labelled):
    """Stands in for an object (or class, or function) the console will not import or call."""

    label = "?"

    def __new__(cls, *args: Any, **kwargs: Any) -> Opaque:
        return super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __setstate__(self, state: Any) -> None:
        pass

    def __repr__(self) -> str:
        return f"<{self.label}>"


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        return type("Opaque", (Opaque,), {"label": f"{module}.{name}"})


MAX_MESSAGE_BYTES = 1 << 20  # one pickled message as stored; larger is not a task of ours
_LOAD_ERRORS = (
    pickle.UnpicklingError,
    EOFError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    KeyError,
    OverflowError,
    MemoryError,
    RecursionError,
)


def safe_loads(data: bytes) -> Any:
    """Unpickle a huey message without importing anything it names. gzip/zlib are expanded
    with a cap; anything that does not load raises Unfit with the reason."""
    raw = bytes(data)
    if len(raw) > MAX_MESSAGE_BYTES:
        raise Unfit(f"message is {len(raw)} bytes (limit {MAX_MESSAGE_BYTES})")
    if raw[:2] == b"\x1f\x8b" or raw[:1] == b"\x78":
        raw = decompress(raw)
    try:
        return _SafeUnpickler(io.BytesIO(raw)).load()
    except _LOAD_ERRORS as exc:
        raise Unfit(f"message does not load ({type(exc).__name__})") from None


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlist = 3, 80, 60, 8


def shown(value: Any) -> str:
    """A bounded repr: nesting, lengths and item counts are cut, so no payload is too deep
    or too large to describe."""
    return _SHOWN.repr(value)


@dataclass(frozen=True)
class ScheduledTask:
    """A task waiting in a huey schedule (eta in epoch seconds; names sanitized)."""

    queue: str
    task_id: str
    task: str
    eta: float | None
    args: str
    revoked: bool


def _epoch(value: Any, utc: bool = True) -> float | None:
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is not None or not utc:
        return value.timestamp()
    return calendar.timegm(value.utctimetuple()) + value.microsecond / 1e6


def _plain(value: Any) -> str:
    """A string as it is, anything else as its bounded repr."""
    return value if isinstance(value, str) else shown(value)


def _describe(queue: str, app: Any, message: Any) -> ScheduledTask:
    fields = getattr(message, "_fields", None)
    if not fields or "id" not in fields:
        raise Unfit(f"message is {shown(type(message))}, not a huey task")
    name = _plain(message.name or "?").rpartition(".")[2]
    task_id = _plain(message.id)
    args = shown(message.args) + (f" {shown(message.kwargs)}" if message.kwargs else "")
    return ScheduledTask(
        queue=clean(queue, 200),
        task_id=clean(task_id, 64),
        task=clean(name, 200),
        eta=_epoch(message.eta, app.utc),
        args=clean(args, 300),
        revoked=bool(app.is_revoked(task_id)),
    )


def read_schedule(
    queue: str, app: Any, limit: int = SCHEDULED_LIMIT
) -> tuple[list[ScheduledTask], list[Invalid]]:
    """Tasks in a huey schedule, soonest first, and an Invalid for each message that does not
    load (bomb, damage, another serializer) or repeats a task id already listed."""
    tasks: dict[str, ScheduledTask] = {}
    invalid = []
    for data in app.storage.scheduled_items(limit):
        try:
            task = _describe(queue, app, safe_loads(data))
            if task.task_id in tasks:
                raise Unfit(f"task {task.task_id} is scheduled twice")
        except Unfit as exc:
            invalid.append(parse_invalid(f"schedule of {queue}", exc))
            continue
        tasks[task.task_id] = task
    ordered = sorted(tasks.values(), key=lambda t: (t.eta is None, t.eta or 0))
    return ordered, invalid


def scheduled(queue: str, app: Any, limit: int = SCHEDULED_LIMIT) -> list[ScheduledTask]:
    """Tasks in a huey schedule, soonest first; messages that do not fit are left out."""
    return read_schedule(queue, app, limit)[0]


def revoke(app: Any, task_id: str) -> None:
    """Revoke a task by id (huey skips it when it comes due)."""
    app.revoke_by_id(task_id)


def restore(app: Any, task_id: str) -> bool:
    """Undo a revoke; True when the task was in fact revoked."""
    return bool(app.restore_by_id(task_id))


class NotRetryable(ValueError):
    """A failed job's arguments were not captured in a form that can be replayed."""


def replay_arguments(captured: Any) -> tuple[str, tuple, dict]:
    """(registry name, args, kwargs) from a failure's captured arguments (literals only)."""
    if not isinstance(captured, dict) or not isinstance(captured.get("name"), str):
        raise NotRetryable("its arguments were not captured (instrument(huey, capture_args=True))")
    try:
        args = ast.literal_eval(str(captured.get("args") or "()"))
        kwargs = ast.literal_eval(str(captured.get("kwargs") or "{}"))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise NotRetryable("its arguments are not plain values and cannot be replayed") from None
    if not isinstance(args, tuple | list) or not isinstance(kwargs, dict):
        raise NotRetryable("its captured arguments have an unexpected shape")
    return captured["name"], tuple(args), kwargs


def enqueue_again(app: Any, registry_name: str, args: tuple, kwargs: dict) -> str:
    """Enqueue a task by its registry name through huey's API; returns the new task id."""
    from huey.api import Task

    module, _, name = registry_name.rpartition(".")
    task_class = type(name, (Task,), {"__module__": module})
    key = app._registry.task_to_string(task_class)
    if key not in app._registry._registry:
        app._registry.register(task_class)
    task = task_class(args=args, kwargs=kwargs, id=str(uuid.uuid4()))
    app.enqueue(task)
    return task.id
