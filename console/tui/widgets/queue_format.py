"""Cells for the queues tables: numbers and sparklines (ages and times: core.formatting)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

BARS = "▁▂▃▄▅▆▇█"


def num(value: int | float | None) -> Text:
    return Text("-" if value is None else f"{value:g}", justify="right")


def sparkline(values: Sequence[float | None], width: int = 12) -> str:
    """The last `width` values as bars scaled to their own range; gaps as spaces."""
    tail = list(values)[-width:]
    known = [v for v in tail if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    return "".join(
        " " if v is None else BARS[min(7, int((v - low) / span * 7))] if high > low else BARS[0]
        for v in tail
    )
