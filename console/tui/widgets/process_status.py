"""The processes screen's status line: per endpoint how many run, or why it is down."""

from __future__ import annotations

from typing import Any


def status_line(view: Any, scope: str, text_filter: str) -> str:
    """`local: 3/4 running  ·  scope: program` (plain text; names were sanitized in core)."""
    snapshot = view.snapshot
    parts = []
    if getattr(view, "as_of", None) is not None:  # the time cursor: stored events, not RPC
        parts.append("from the stored events")
        if view.counts_error:
            parts.append(view.counts_error)
    for e in snapshot.endpoints:
        if e.ok:
            mine = [p for p in snapshot.processes if p.endpoint == e.name]
            up = sum(1 for p in mine if p.statename == "RUNNING")
            via = " (via its worker)" if e.via_worker else ""
            parts.append(f"{e.name}{via}: {up}/{len(mine)} running")
        else:
            parts.append(f"{e.name}: DOWN ({e.kind}) {e.message}; showing last known")
    if not snapshot.endpoints and getattr(view, "as_of", None) is None:
        parts.append(
            f"no supervisord configured for host {snapshot.host}"
            " (set [[supervisor]] or --supervisor-url)"
        )
    parts += [f"{bad.what}: {bad}" for bad in snapshot.invalid]
    parts.append(f"scope: {scope}")
    if text_filter:
        parts.append(f"filter: {text_filter}")
    if view.counts_error and getattr(view, "as_of", None) is None:
        parts.append("restart counts unavailable")
    return "  ·  ".join(parts)
