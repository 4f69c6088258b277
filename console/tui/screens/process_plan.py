"""What an action key means right now: which endpoints, which target, which exact processes,
whether to confirm (and twice), and the supervisorctl command it equals. Pure: no widgets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from console.core.supervisor.models import ConfigDiff

VERBS = {
    "start": "Start",
    "stop": "Stop",
    "restart": "Restart",
    "rolling_restart": "Rolling restart",
    "signal": "Signal",
    "clear_logs": "Clear logs of",
}
HUEY_NOTES = {
    "HUP": "SIGHUP: graceful restart — huey finishes running tasks, then restarts its workers.",
    "INT": "SIGINT: graceful stop — huey finishes running tasks, then exits "
    "(supervisord restarts it if autorestart is set).",
    "TERM": "SIGTERM: huey stops at once and interrupts running tasks.",
}


@dataclass(frozen=True)
class Plan:
    action: str
    verb: str
    endpoints: list[str]
    target: str  # group:name, group:* or all
    names: list[str]  # the exact processes, endpoint-qualified when several
    command: str
    signal: str = ""
    confirm: bool = True
    twice: bool = False
    note: str = ""
    diff: ConfigDiff | None = field(default=None)

    @property
    def label(self) -> str:
        return self.target if len(self.endpoints) <= 1 else f"{self.target} on all endpoints"


def _command(action: str, target: str, signal: str) -> str:
    if action == "signal":
        return f"supervisorctl signal {signal} {target}"
    verb = {"clear_logs": "clear", "rolling_restart": "restart"}.get(action, action)
    suffix = "  (one at a time)" if action == "rolling_restart" else ""
    return f"supervisorctl {verb} {target}{suffix}"


def plan_action(context: dict[str, Any], action: str, signal: str = "") -> Plan | None:
    """None when there is nothing to act on (no row selected, nothing polled yet)."""
    row, scope, view = context["row"], context["scope"], context["view"]
    if view is None:
        return None
    processes = view.snapshot.processes
    reachable = [e.name for e in view.snapshot.endpoints if e.ok]
    several = len(view.snapshot.endpoints) > 1
    if scope == "all":
        endpoints, target = reachable, "all"
        chosen = [p for p in processes if p.endpoint in reachable]
    elif row is None:
        return None
    elif scope == "group" or row.kind == "group":
        group = row.target.split(":", 1)[0]
        endpoints, target = [row.endpoint], f"{group}:*"
        chosen = [p for p in processes if p.endpoint == row.endpoint and p.group == group]
    else:
        endpoints, target = [row.endpoint], row.target
        chosen = [p for p in processes if p.endpoint == row.endpoint and p.full_name == target]
    if not chosen:
        return None
    names = [f"{p.endpoint}/{p.full_name}" if several else p.full_name for p in chosen]
    many = target == "all" or target.endswith(":*")
    return Plan(
        action=action,
        verb=VERBS.get(action, action) + (f" {signal}" if action == "signal" else ""),
        endpoints=endpoints,
        target=target,
        names=names,
        command=_command(action, target, signal),
        signal=signal,
        confirm=action != "start" or many,
        twice=many and action != "start",
        note=HUEY_NOTES.get(signal, "") if action == "signal" else "",
    )
