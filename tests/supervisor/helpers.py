"""Small helpers for the supervisord tests (real supervisord from the fixture)."""

from __future__ import annotations

import time
from collections.abc import Callable

from console.core.settings import SupervisorEndpoint
from console.core.supervisor.actions import Actions
from console.core.supervisor.client import SupervisorClient


def client_for(sv, timeout: float = 3.0, read_only: bool = False, name: str = "local"):
    return SupervisorClient(SupervisorEndpoint(name, sv.url), timeout=timeout, read_only=read_only)


def actions_for(sv, **kw) -> Actions:
    return Actions(client_for(sv, **kw))


def wait_until(check: Callable[[], object], timeout: float = 15.0) -> object:
    """Poll `check` until it returns something truthy (no fixed sleeps in tests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met in time")
