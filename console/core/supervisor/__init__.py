"""The supervisord client: allow-listed XML-RPC with deadlines, process dataclasses, actions."""

from console.core.supervisor.actions import Actions
from console.core.supervisor.client import SupervisorClient
from console.core.supervisor.errors import ReadOnlyRefused, SupervisorFault, SupervisorUnavailable
from console.core.supervisor.models import (
    ActionResult,
    ConfigDiff,
    EndpointStatus,
    Outcome,
    ProcessesSnapshot,
    ProcessInfo,
    ProcessState,
    state_group,
)

__all__ = [
    "ActionResult",
    "Actions",
    "ConfigDiff",
    "EndpointStatus",
    "Outcome",
    "ProcessInfo",
    "ProcessState",
    "ProcessesSnapshot",
    "ReadOnlyRefused",
    "SupervisorClient",
    "SupervisorFault",
    "SupervisorUnavailable",
    "state_group",
]
