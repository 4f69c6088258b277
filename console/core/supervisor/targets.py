"""Targets (`name`, `group:name`, `group:*`, `all`) resolved against the live process list,
the supervisorctl command each action matches, and the plan of an action on a selection
(which endpoints, which exact processes, whether to confirm, and twice)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from console.core.supervisor.errors import SupervisorFault
from console.core.supervisor.models import ConfigDiff, ProcessesSnapshot, ProcessInfo


def resolve(target: str, processes: Sequence[ProcessInfo]) -> list[str]:
    """The `group:name`s a target means, in supervisord's order; BAD_NAME when none."""
    target = target.strip()
    if target == "all":
        names = [p.full_name for p in processes]
    elif target.endswith(":*"):
        names = [p.full_name for p in processes if p.group == target[:-2]]
    elif ":" in target:
        names = [p.full_name for p in processes if p.full_name == target]
    else:
        names = [p.full_name for p in processes if p.name == target]
        if not names:
            names = [p.full_name for p in processes if p.group == target]
    if not names:
        raise SupervisorFault(10, "BAD_NAME", f"no such program or group: {target}")
    return names


def command(action: str, target: str, signal: str | None = None) -> str:
    """The supervisorctl command that does the same thing."""
    verb = {"clear_logs": "clear", "rolling_restart": "restart"}.get(action, action)
    if action == "signal":
        return f"supervisorctl signal {signal} {target}"
    if action in ("reread", "update"):
        return f"supervisorctl {action}" + (f" {target}" if target and target != "all" else "")
    suffix = "  # one at a time" if action == "rolling_restart" else ""
    return f"supervisorctl {verb} {target}{suffix}"


# --- what an action key means for the selection (the console's processes screen) ----------

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
SCOPES = ("program", "group", "all")


@dataclass(frozen=True)
class Selection:
    """The selected row: a program (`group:name`) or a group (`group:*`) of one endpoint."""

    endpoint: str
    target: str
    kind: str  # "group" for a group row, anything else for a program row


@dataclass(frozen=True)
class Plan:
    """One action on exact processes: where, what, and whether to confirm (and twice)."""

    action: str
    verb: str
    endpoints: tuple[str, ...]
    target: str  # group:name, group:* or all
    names: tuple[str, ...]  # the exact processes, endpoint-qualified when several
    command: str
    signal: str = ""
    confirm: bool = True
    twice: bool = False
    note: str = ""
    diff: ConfigDiff | None = field(default=None)

    @property
    def label(self) -> str:
        return self.target if len(self.endpoints) <= 1 else f"{self.target} on all endpoints"


def _chosen(
    snapshot: ProcessesSnapshot, selection: Selection | None, scope: str
) -> tuple[list[str], str, list[ProcessInfo]] | None:
    """(endpoints, target, processes) the scope and the selection mean, or None."""
    processes = snapshot.processes
    if scope == "all":
        reachable = [e.name for e in snapshot.endpoints if e.ok]
        return reachable, "all", [p for p in processes if p.endpoint in reachable]
    if selection is None:
        return None
    here = [p for p in processes if p.endpoint == selection.endpoint]
    if scope == "group" or selection.kind == "group":
        group = selection.target.split(":", 1)[0]
        return [selection.endpoint], f"{group}:*", [p for p in here if p.group == group]
    target = selection.target
    return [selection.endpoint], target, [p for p in here if p.full_name == target]


def plan_action(
    snapshot: ProcessesSnapshot | None,
    selection: Selection | None,
    scope: str,
    action: str,
    signal: str = "",
) -> Plan | None:
    """None when there is nothing to act on (no row selected, nothing polled yet)."""
    found = None if snapshot is None else _chosen(snapshot, selection, scope)
    if snapshot is None or not found or not found[2]:
        return None
    endpoints, target, chosen = found
    several = len(snapshot.endpoints) > 1
    names = [f"{p.endpoint}/{p.full_name}" if several else p.full_name for p in chosen]
    many = target == "all" or target.endswith(":*")
    return Plan(
        action=action,
        verb=VERBS.get(action, action) + (f" {signal}" if action == "signal" else ""),
        endpoints=tuple(endpoints),
        target=target,
        names=tuple(names),
        command=command(action, target, signal),
        signal=signal,
        confirm=action != "start" or many,
        twice=many and action != "start",
        note=HUEY_NOTES.get(signal, "") if action == "signal" else "",
    )
