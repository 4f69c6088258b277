"""The one way tests wait: until a condition holds, with a deadline and a clear failure.

Never a fixed sleep as proof: to show that something did NOT happen, wait for an event that
comes after it would have (a later poll, a message), then check.
"""

from __future__ import annotations

import asyncio
import functools
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")
STEP_S = 0.02
# Deadlines stretched on a shared or loaded machine (the suite runs on several workers at
# once): a wait for something that does happen costs nothing more; only a failure waits longer.
SLACK = float(os.environ.get("STACKWATCH_TEST_WAIT_SLACK", "3"))


async def until(
    pilot: Any,
    condition: Callable[[], T],
    what: str | Callable[[], str] = "",
    timeout: float = 10.0,
) -> T:
    """Let the app run (pilot.pause) until `condition()` is truthy; return its value. `what`
    may be a function: its answer then says what was there instead."""
    deadline = time.monotonic() + timeout * SLACK
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(
                f"timed out after {timeout * SLACK:g} s waiting for {said or condition}"
            )
        await pilot.pause(STEP_S)


def wait_until(condition: Callable[[], T], what: str = "", timeout: float = 20.0) -> T:
    """Outside an app: poll `condition()` until truthy (for processes and services)."""
    deadline = time.monotonic() + timeout * SLACK
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout * SLACK:g} s waiting for {what or condition}"
            )
        time.sleep(STEP_S)


def sync(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot test body on a fresh event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def shown(app: Any, screen_type: type) -> bool:
    """The app's screen is a `screen_type` and is composed and mounted: its widgets can be
    clicked (a screen just pushed is on the stack before its children exist)."""
    screen = app.screen
    return isinstance(screen, screen_type) and screen.is_mounted
