"""The store gate: a deadline on each database call, the store's state, one line per outage.

The calls here are plain functions (one waits on an event, as a call to a hung server does);
the gate against a real hung PostgreSQL is in tests/faults/test_store_outage_worker.py.
"""

from __future__ import annotations

import logging
import threading

import pytest

from console.core.errors import SourceUnavailable
from jobs.storegate import DOWN, HUNG, OK, StoreGate, short_reason


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_a_call_past_its_deadline_is_hung_and_later_calls_fail_at_once(caplog) -> None:
    caplog.set_level(logging.INFO, "stackwatch.worker")
    clock = Clock()
    gate = StoreGate(deadline=0.2, clock=clock)
    release = threading.Event()
    with pytest.raises(SourceUnavailable, match="hung"):
        gate.run(release.wait)
    assert gate.state.status == HUNG and gate.state.since == 1_000.0 - 0.2  # when it began
    calls = []
    with pytest.raises(SourceUnavailable, match="hung"):
        gate.run(lambda: calls.append(1))
    assert calls == []  # refused without touching the database
    release.set()
    clock.now += 41
    while gate._stuck and gate._stuck[0].is_alive():
        gate._stuck[0].join()
    assert gate.run(lambda: 7) == 7
    assert gate.state.status == OK
    gate.caught_up(8)
    gate.caught_up(2)  # said once
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "store: database hung since "
        + _hhmmss(999.8)
        + " (no answer in 0.2 s); rows will catch up",
        "store: database back after 41 s; 8 windows stored",  # 41.2 s
    ]


def test_an_outage_is_logged_once_with_its_reason(caplog) -> None:
    caplog.set_level(logging.INFO, "stackwatch.worker")
    gate = StoreGate(deadline=5, clock=Clock())
    refused = SourceUnavailable(
        "database postgresql+psycopg://u@h/db: connection failed: connection to server at "
        '"127.0.0.1", port 1 failed: Connection refused'
    )

    def fail() -> None:
        raise refused

    for _ in range(5):
        with pytest.raises(SourceUnavailable):
            gate.run(fail)
    assert gate.state == gate.state.__class__(DOWN, 1_000.0, "connection refused")
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().endswith("(connection refused); rows will catch up")


def test_other_errors_mean_the_database_answered() -> None:
    gate = StoreGate(deadline=5)
    with pytest.raises(ZeroDivisionError):
        gate.run(lambda: 1 / 0)
    assert gate.state.status == OK


def test_short_reason_keeps_the_last_clause() -> None:
    assert short_reason("database x: server closed the connection unexpectedly") == (
        "server closed the connection unexpectedly"
    )
    assert short_reason("database is locked") == "database is locked"


def _hhmmss(ts: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(ts).strftime("%H:%M:%S")
