"""Targets (`name`, `group:name`, `group:*`, `all`) resolved against the live process list,
and the supervisorctl command each action matches."""

from __future__ import annotations

from collections.abc import Sequence

from console.core.supervisor.errors import SupervisorFault
from console.core.supervisor.models import ProcessInfo


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
