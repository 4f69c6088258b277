"""Number formatting and text bars for the dashboard (pure functions, no widgets)."""

from __future__ import annotations

from console.core.settings import Threshold

BAR_FULL, BAR_EMPTY = "█", "░"
LEVEL_WORDS = {"ok": "", "warning": " WARN", "critical": " CRIT"}


def num(value: float | None, digits: int = 1) -> str:
    """A number, or '-' when missing."""
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def ms(value: float | None) -> str:
    """Milliseconds, switching to seconds past 10 s."""
    if value is None:
        return "-"
    return f"{value / 1000:.1f} s" if value >= 10_000 else f"{value:.0f} ms"


def size(value: float | None) -> str:
    """Bytes in binary units: '1.5 GiB'."""
    if value is None:
        return "-"
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")
    amount = float(value)
    for unit in units:
        if abs(amount) < 1024 or unit == units[-1]:
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} PiB"  # unreachable: the loop returns on the last unit


def rate(value: float | None) -> str:
    """Bytes per second: '1.2 MiB/s'."""
    return "-" if value is None else f"{size(value)}/s"


# A value as one text, or several from longest to shortest (the row shows the longest that fits).
Fit = str | tuple[str, ...]


def rate_short(value: float | None) -> str:
    """Bytes per second in few cells: '1.2M/s', '31K/s', '512B/s'."""
    if value is None:
        return "-"
    for unit, scale in (("G", 2**30), ("M", 2**20), ("K", 2**10)):
        if abs(value) >= scale:
            return f"{value / scale:.1f}{unit}/s".replace(".0" + unit, unit)
    return f"{value:.0f}B/s"


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


def trend(values: tuple[float | None, ...]) -> str:
    """↑ / ↓ / → comparing the latest known value with the first of the window; '' if unknown."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    first, last = known[0], known[-1]
    if last > first:
        return "↑"
    if last < first:
        return "↓"
    return "→"
