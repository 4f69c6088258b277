"""Small helpers for the supervisord tests (real supervisord from the fixture)."""

from __future__ import annotations

from console.core.settings import SupervisorEndpoint
from console.core.supervisor.actions import Actions
from console.core.supervisor.client import SupervisorClient
from tests.support.waits import wait_until  # noqa: F401 - the one wait, re-exported


def client_for(sv, timeout: float = 3.0, read_only: bool = False, name: str = "local"):
    return SupervisorClient(SupervisorEndpoint(name, sv.url), timeout=timeout, read_only=read_only)


def actions_for(sv, **kw) -> Actions:
    return Actions(client_for(sv, **kw))
