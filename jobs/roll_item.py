"""A per-interval roll item read back from the cache, checked once: the rolls that aggregate
them (publish_latest, store_metrics) then never meet a string where a count belongs, so one
foreign item cannot make every collection fail."""

from __future__ import annotations

from typing import Any

from console.core.parse import Unfit, number
from jobs import sketch

NUMBERS = ("ts", "window_s", "rps")
COUNTS = ("requests", "jobs", "jobs_failed", "errors_5xx")
SKETCHES = ("latency", "runtime", "wait")


def parse_roll_item(item: Any) -> dict[str, Any]:
    """The item with every field we read checked (sketches too); raises Unfit otherwise."""
    if not isinstance(item, dict):
        raise Unfit("a roll item is not an object")
    checked = dict(item)
    for name in NUMBERS:
        if item.get(name) is not None or name == "ts":
            checked[name] = float(number(item.get(name), f"roll {name}"))
    for name in COUNTS:
        checked[name] = int(number(item.get(name) or 0, f"roll {name}", integer=True))
    for name in SKETCHES:
        if item.get(name) is not None and not sketch.is_valid(item[name]):
            raise Unfit(f"roll {name} is not a sketch")
    return checked


def fitting(items: list[Any]) -> list[dict[str, Any]]:
    """The items that fit; the others are left out (the next rolls replace them)."""
    found = []
    for item in items:
        try:
            found.append(parse_roll_item(item))
        except Unfit:
            continue
    return found
