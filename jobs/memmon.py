"""The memmon rule's action: each program whose memory_restart alert just fired is restarted
by the worker, as superlance's memmon does, and audited like an action from the console. A
read-only worker refuses (and says so in the alert history and the audit)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from console.core.alerts.conditions import program_name
from console.core.alerts.memmon import ProgramMemory
from console.core.alerts.model import AlertState
from console.core.errors import StackwatchError
from console.core.store.alert_history import HistoryEntry
from jobs.alert_history import entry
from jobs.context import JobContext

log = logging.getLogger("stackwatch.alerts")
WHO = "stackwatch-worker"  # the audit's user: no person asked for it


def restart_over_limit(
    ctx: JobContext,
    fired: Sequence[AlertState],
    memory: Sequence[ProgramMemory],
    clients: Sequence[Any],
    now: float,
) -> list[HistoryEntry]:
    """Restart each program of `fired` (memory_restart alerts that just fired); the history
    entries saying what was done."""
    by_name = {program_name(m.endpoint, m.program): m for m in memory}
    by_endpoint = {c.endpoint.name: c for c in clients}
    out = []
    for state in fired:
        found = by_name.get(state.subject)
        if found is None:
            continue
        target = f"{found.endpoint}/{found.program}"
        command = f"supervisorctl restart {found.program}"
        if ctx.settings.read_only:
            event, detail = "restart refused", f"the worker on {ctx.host} is read-only"
        elif (client := by_endpoint.get(found.endpoint)) is None:
            event, detail = "restart failed", f"no supervisord named {found.endpoint!r} here"
        else:
            event, detail = _restart(client, found.program)
        log.warning("memory_restart: %s %s: %s", target, event, detail)
        _audit(ctx, now, target, command, f"memory_restart: {event}: {detail}")
        out.append(entry(event, state, now, detail))
    return out


def _restart(client: Any, program: str) -> tuple[str, str]:
    from console.core.supervisor.actions import Actions

    try:
        result = Actions(client).restart(program)
    except StackwatchError as exc:
        return "restart failed", str(exc)
    return ("restarted" if result.ok else "restart failed"), result.summary()


def _audit(ctx: JobContext, now: float, target: str, command: str, result: str) -> None:
    from console.core.store import audit

    entry = audit.AuditEntry(now, WHO, ctx.host, "restart", target, command, result)
    try:
        ctx.store.run(lambda: audit.record(ctx.engine, [entry]))
    except StackwatchError as exc:  # the action is in the worker's log and the alert history
        log.warning("memory_restart: cannot audit %s: %s", target, exc)
