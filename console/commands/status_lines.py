"""Plain-text and JSON views of a snapshot for the command line (`stackwatch status`)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from console.core import formatting
from console.core.supervisor.exits import fallback_words
from console.core.supervisor.models import ProcessesSnapshot, ProcessInfo


def expected_down(info: ProcessInfo, config: Mapping[str, Mapping[str, Any]]) -> bool:
    """A STOPPED program with autostart=false is meant to be down."""
    options = config.get(info.full_name, {})
    return info.statename == "STOPPED" and options.get("autostart") is False


def is_up(info: ProcessInfo) -> bool:
    return info.statename in ("RUNNING", "STARTING")


def uptime_text(seconds: int | None) -> str:
    if seconds is None:
        return ""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{days}d {clock}" if days else clock


def detail(info: ProcessInfo, now: float | None = None) -> str:
    """What supervisorctl's third column says, computed from the fields."""
    if info.statename == "RUNNING":
        return f"pid {info.pid}, uptime {uptime_text(info.uptime)}"
    if info.statename in ("BACKOFF", "FATAL"):
        why = info.spawnerr or "exited too quickly (see its log)"
        return f"{why}; last {info.exit_words}" if info.exit_words else why
    if info.statename in ("STOPPED", "EXITED") and info.stop:
        when = time.strftime("%b %d %H:%M", time.localtime(info.stop))
        words = info.exit_words or fallback_words(info)
        exit_part = f"{words}, " if words else ""
        return f"{exit_part}{when}"
    return "not started" if info.statename == "STOPPED" else ""


def lines(snapshot: ProcessesSnapshot) -> list[str]:
    """supervisorctl-style lines, endpoint-prefixed when there are several."""
    several = len(snapshot.endpoints) > 1
    out = []
    width = max((len(p.full_name) for p in snapshot.processes), default=10) + 2
    for endpoint in snapshot.endpoints:
        if not endpoint.ok:
            out.append(f"{endpoint.name}: UNREACHABLE  {endpoint.message}")
        elif endpoint.via_worker:  # no supervisord URL here: the host's worker's own list
            age = formatting.ago(formatting.age_of(snapshot.ts, time.time()))
            out.append(f"{endpoint.name}: as the host's worker listed it {age}")
    for p in snapshot.processes:
        name = f"{p.endpoint}/{p.full_name}" if several else p.full_name
        out.append(
            f"{name:<{width + (len(p.endpoint) + 1 if several else 0)}} "
            f"{p.statename:<9} {detail(p)}".rstrip()
        )
    out += [f"{bad.what}: {bad}" for bad in snapshot.invalid]
    return out
