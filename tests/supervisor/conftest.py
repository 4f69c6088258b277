"""Wraps the shared supervisord fixture: programs are stopped through our client first.

A supervisord told to exit right after spawning a program loses its SIGTERM to the child's
fork-to-exec window and waits stopwaitsecs (the race this package guards against); stopping
through `Actions` first keeps teardown fast.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.supervisor.helpers import actions_for


@pytest.fixture
def supervisord_factory(supervisord_factory) -> Iterator:
    started = []

    def start(*args, **kwargs):
        instance = supervisord_factory(*args, **kwargs)
        started.append(instance)
        return instance

    yield start
    for instance in started:
        actions_for(instance, timeout=1.0).stop("all")  # reports, never raises, if down
