"""reread + update: show what changed in supervisord's config files, then apply it."""

from __future__ import annotations

import time

from console.core.supervisor.actions import Actions
from console.core.supervisor.errors import (
    ReadOnlyRefused,
    SupervisorFault,
    SupervisorUnavailable,
)
from console.core.supervisor.models import ActionResult, ConfigDiff, Outcome


def reread(actions: Actions) -> ConfigDiff | ActionResult:
    """The diff, or an ActionResult carrying the error (endpoint down, read-only)."""
    client = actions.client
    try:
        if client.read_only:
            raise ReadOnlyRefused("read-only: reread refused")
        return client.reread()
    except (SupervisorUnavailable, SupervisorFault, ReadOnlyRefused) as exc:
        return ActionResult("reread", client.name, "", "supervisorctl reread", error=str(exc))


def update(actions: Actions, diff: ConfigDiff) -> ActionResult:
    """What `supervisorctl update` does: stop+remove removed/changed groups, add added/changed."""
    client = actions.client
    began = time.monotonic()
    outcomes: list[Outcome] = []
    try:
        if client.read_only:
            raise ReadOnlyRefused("read-only: update refused")
        for group in diff.removed + diff.changed:
            outcomes.append(_remove(actions, group, "changed" if group in diff.changed else ""))
        for group in diff.added + diff.changed:
            outcomes.append(_add(actions, group))
    except (SupervisorUnavailable, ReadOnlyRefused) as exc:
        return ActionResult("update", client.name, "all", "supervisorctl update", error=str(exc))
    return ActionResult(
        "update",
        client.name,
        "all",
        "supervisorctl update",
        outcomes=tuple(outcomes),
        seconds=time.monotonic() - began,
    )


def _remove(actions: Actions, group: str, why: str) -> Outcome:
    members = [p.full_name for p in actions.client.processes() if p.group == group]
    if members:
        stopped = actions.stop_names(members)
        bad = [o for o in stopped if not o.ok]
        if bad:
            return Outcome(group, False, bad[0].state, f"not removed: {bad[0].message}")
    try:
        actions.client.call("supervisor.removeProcessGroup", group)
    except SupervisorFault as exc:
        return Outcome(group, False, "", f"not removed: {exc}")
    return Outcome(group, True, "", "stopped and removed" + (" (to re-add)" if why else ""))


def _add(actions: Actions, group: str) -> Outcome:
    try:
        actions.client.call("supervisor.addProcessGroup", group)
    except SupervisorFault as exc:
        return Outcome(group, False, "", f"not added: {exc}")
    return Outcome(group, True, "", "added")
