"""Turning process dataclasses into table rows: plain strings and a state class, no widgets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from console.core.supervisor.exits import fallback_words
from console.core.supervisor.models import ProcessInfo, state_group

COLUMNS = ("Program", "State", "PID", "Uptime", "Exit", "CPU%", "Memory", "R 1h/1d", "Info")
# Which of them each width shows, and how wide: process_layout.py.


@dataclass(frozen=True)
class Row:
    """One table row: `key` identifies it, `cells` are plain text, `kind` picks the colour."""

    key: str
    cells: tuple[str, ...]
    kind: str  # running | transition | stopped | failed | group
    endpoint: str = ""
    target: str = ""  # group:name for programs, group:* for group rows
    brief: str = ""  # Info when PID, Uptime and Exit are not shown: what matters, first


def cap(text: str, limit: int) -> str:
    """Long names and errors are cut so State stays on screen at 80 columns."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    if seconds < 86400:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d{seconds % 86400 // 3600:02d}h"


def size(value: int | None) -> str:
    if value is None:
        return ""
    for unit in ("B", "K", "M", "G"):
        if value < 1024:
            return f"{value:.0f}{unit}" if unit == "B" else f"{value:.1f}{unit}"
        value /= 1024
    return f"{value:.1f}T"


def _exit(p: ProcessInfo) -> str:
    """How it last ended in supervisord's words ("exit status 3"), and when."""
    if p.statename in ("RUNNING", "STARTING") or not p.stop:
        return ""
    words = (p.exit_words or fallback_words(p)).split(";")[0]  # "; not expected": the state says
    ago = f"{duration(max(0, p.now - p.stop))} ago"
    return f"{words}, {ago}" if words else ago


def _brief(p: ProcessInfo) -> str:
    """Running: pid and uptime; stopped: how it ended; failed: its exit, then the spawn error."""
    if p.statename == "RUNNING":
        return f"pid {p.pid}, up {duration(p.uptime)}"
    if p.statename in ("BACKOFF", "FATAL"):
        words = p.exit_words.split(";")[0]
        return f"{words}; {p.spawnerr}" if words and p.spawnerr else (words or p.spawnerr)
    return _exit(p) or p.description


def program_row(p: ProcessInfo, restarts: tuple[int, int] | None, several: bool) -> Row:
    name = f"{p.endpoint}/{p.name}" if several else p.name
    info = p.spawnerr if p.statename in ("BACKOFF", "FATAL") else p.description
    cells = (
        f"  {cap(name, 22)}",
        p.statename,
        str(p.pid) if p.pid else "",
        duration(p.uptime),
        _exit(p),
        "" if p.cpu_percent is None else f"{p.cpu_percent:.1f}",
        size(p.memory_rss),
        f"{restarts[0]}/{restarts[1]}" if restarts else "",
        info,
    )
    key = f"{p.endpoint}/{p.full_name}"
    return Row(key, cells, state_group(p.statename), p.endpoint, p.full_name, _brief(p))


def group_row(endpoint: str, group: str, members: Sequence[ProcessInfo], collapsed: bool) -> Row:
    up = sum(1 for p in members if p.statename == "RUNNING")
    bad = sum(1 for p in members if state_group(p.statename) == "failed")
    arrow = "▸" if collapsed else "▾"
    label = cap(f"{arrow} {group}" + (f"  [{endpoint}]" if endpoint else ""), 24)
    failed = f"{bad} failed" if bad else ""
    cells = (label, f"{up}/{len(members)} up", "", "", "", "", "", "", failed)
    return Row(f"group:{endpoint}/{group}", cells, "group", endpoint, f"{group}:*", failed)


def build_rows(
    processes: Iterable[ProcessInfo],
    restarts: dict[tuple[str, str], tuple[int, int]],
    collapsed: set[str],
    text_filter: str = "",
    several: bool = False,
) -> list[Row]:
    """Group rows, each followed by its (unless collapsed) programs that match the filter."""
    needle = text_filter.strip().lower()
    groups: dict[tuple[str, str], list[ProcessInfo]] = {}
    for p in processes:
        haystack = f"{p.endpoint}/{p.full_name} {p.statename}".lower()
        if needle and needle not in haystack:
            continue
        groups.setdefault((p.endpoint, p.group), []).append(p)
    rows: list[Row] = []
    for (endpoint, group), members in groups.items():
        key = f"group:{endpoint}/{group}"
        folded = key in collapsed
        rows.append(group_row(endpoint if several else "", group, members, folded))
        rows[-1] = replace(rows[-1], key=key, endpoint=endpoint)
        if not folded:
            rows.extend(
                program_row(p, restarts.get((p.endpoint, p.full_name)), several) for p in members
            )
    return rows
