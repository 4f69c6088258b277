"""What the rules read, from a real store and cache: each program's newest state (store, then
the stream's newer events), recent starts and exits, failure streaks, and a disk's rate."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert

from console.core.alerts.readings import disk_trend, read_store
from console.core.alerts.store_reads import failure_streaks
from console.core.events.model import ProcessEvent
from console.core.store import ledger
from console.core.store.engine import make_engine, upgrade, writing
from console.core.store.ledger import JobRun
from console.core.store.models import ProcessEventRow

HOST = "r-host"
T0 = 1_800_000_000.0


@pytest.fixture
def engine(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def stored(engine, program: str, to_state: str, ts: float, **more) -> None:
    row = {"host": HOST, "endpoint": "default", "program": program, "ts": ts, "to_state": to_state}
    with writing(engine) as conn:
        conn.execute(insert(ProcessEventRow), [row | more])


def test_newest_state_per_program_from_store_then_stream(engine) -> None:
    stored(engine, "web:a", "RUNNING", T0 - 500)
    stored(engine, "web:a", "FATAL", T0 - 400)
    stored(engine, "web:b", "FATAL", T0 - 300)
    stored(engine, "other", "FATAL", T0 - 300, host="elsewhere")
    newer = [ProcessEvent(T0 - 10, "default", "process", "web:b", "RUNNING", stream_id="5-0")]
    found = read_store(engine, HOST, newer, 600, T0)
    states = {p.program: p.state for p in found.programs}
    assert states == {"web:a": "FATAL", "web:b": "RUNNING"}
    assert found.error is None


def test_recent_starts_and_exits_within_the_window(engine) -> None:
    stored(engine, "w", "STARTING", T0 - 700)
    stored(engine, "w", "STARTING", T0 - 100)
    stored(engine, "w", "EXITED", T0 - 90, expected=False, detail="exit status 3")
    stored(engine, "w", "RUNNING", T0 - 80)
    stream = [ProcessEvent(T0 - 5, "default", "process", "w", "STARTING", stream_id="9-0")]
    found = read_store(engine, HOST, stream, 600, T0)
    seen = sorted((t.to_state, t.ts) for t in found.transitions)
    assert seen == [("EXITED", T0 - 90), ("STARTING", T0 - 100), ("STARTING", T0 - 5)]
    (exited,) = [t for t in found.transitions if t.to_state == "EXITED"]
    assert exited.expected is False and exited.detail == "exit status 3"


def test_failure_streaks_count_final_failures_since_the_last_success(engine) -> None:
    runs = [
        JobRun(HOST, "store_metrics", T0 - 400, 1, "ok"),
        JobRun(HOST, "store_metrics", T0 - 300, 1, "error", "old"),
        JobRun(HOST, "store_metrics", T0 - 250, 1, "retrying", "ignored"),
        JobRun(HOST, "store_metrics", T0 - 200, 1, "error", "database down\nsecond line"),
        JobRun(HOST, "collect_system_metrics", T0 - 100, 1, "error", "x"),
        JobRun(HOST, "collect_system_metrics", T0 - 50, 1, "ok"),
    ]
    ledger.record_runs(engine, runs)
    assert failure_streaks(engine, HOST, 20) == {"store_metrics": (2, "database down")}
    assert failure_streaks(engine, HOST, 1) == {"store_metrics": (1, "database down")}


def test_a_store_that_cannot_be_read_is_none_not_an_exception(tmp_path: Path) -> None:
    broken = make_engine(f"sqlite:///{tmp_path / 'no-schema.db'}")
    found = read_store(broken, HOST, [], 600, T0)
    assert found.programs is None and found.transitions is None and found.error


def test_disk_trend_by_least_squares_over_the_last_hour() -> None:
    rising = [{"ts": T0 - 1800 + 60 * i, "disk_percent": 50 + 0.1 * i} for i in range(31)]
    assert disk_trend(rising, T0) == pytest.approx(6.0)
    assert disk_trend(rising[-5:], T0) is None  # four minutes of samples: too short to tell
    assert disk_trend([{"ts": "x", "disk_percent": 1}] * 20, T0) is None
    old = [{"ts": T0 - 7200 + 60 * i, "disk_percent": 50 + i} for i in range(30)]
    assert disk_trend(old, T0) is None  # older than the hour
