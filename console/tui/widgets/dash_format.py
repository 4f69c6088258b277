"""Text bars and threshold levels for the dashboard (numbers: console.core.formatting)."""

from __future__ import annotations

from console.core.settings import Threshold

BAR_FULL, BAR_EMPTY = "█", "░"
LEVEL_WORDS = {"ok": "", "warning": " WARN", "critical": " CRIT"}


# A value as one text, or several from longest to shortest (the row shows the longest that fits).
Fit = str | tuple[str, ...]


def bar(percent: float | None, width: int) -> str:
    """A text bar of `width` cells for 0-100 %."""
    if width <= 0:
        return ""
    if percent is None:
        return BAR_EMPTY * width
    filled = round(max(0.0, min(100.0, percent)) / 100 * width)
    return BAR_FULL * filled + BAR_EMPTY * (width - filled)


def level(threshold: Threshold | None, value: float | None) -> str:
    """'ok', 'warning' or 'critical' (no threshold: always ok)."""
    return "ok" if threshold is None else threshold.level(value)
