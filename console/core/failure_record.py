"""A failed job's record as JobRecorder pushes it to the cache and the store keeps it: read
back at one place, for the worker that persists it and the Queues screen that shows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from console.core.parse import Unfit, kind_of, number

TEXT_FIELDS = {"queue": 255, "task": 255, "task_id": 64, "exception": 4096}


def _text(record: Mapping[str, Any], key: str, max_chars: int) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Unfit(f"failure {key} is {kind_of(value)}, not text")
    return value[:max_chars]


def parse_failure(record: Any) -> dict[str, Any]:
    """The record's fields checked: ts and retries numbers, names text, the traceback text
    and args an object (or absent). Raises Unfit naming the field that does not fit."""
    if not isinstance(record, Mapping):
        raise Unfit(f"a failure record is {kind_of(record)}, not an object")
    traceback, args = record.get("traceback"), record.get("args")
    if traceback is not None and not isinstance(traceback, str):
        raise Unfit(f"failure traceback is {kind_of(traceback)}, not text")
    if args is not None and not isinstance(args, Mapping):
        raise Unfit(f"failure args is {kind_of(args)}, not an object")
    return {
        "ts": float(number(record.get("ts") or 0, "failure ts")),
        "retries": int(number(record.get("retries") or 0, "failure retries", integer=True)),
        **{key: _text(record, key, size) for key, size in TEXT_FIELDS.items()},
        "traceback": traceback,
        "args": dict(args) if args is not None else None,
    }
