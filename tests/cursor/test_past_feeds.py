"""The feeds at a past time read the store: the minute's row or the hour's rollup (and say
which), each program's state from the stored events, the queue depths then."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from console.core.feeds import build_feeds
from console.core.settings import Settings, SupervisorEndpoint
from console.core.store.engine import make_engine, upgrade
from tests.cursor.seed import CRASH, DAY, HOST, NOW, cpu_at, pending_at, seed


@pytest.fixture
def store(database_url: str) -> Engine:
    engine = make_engine(database_url)
    upgrade(engine)
    seed(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def feeds(store: Engine, database_url: str, tmp_path):
    settings = Settings(
        host=HOST,
        database_url=database_url,
        data_dir=str(tmp_path / "data"),
        supervisors=(SupervisorEndpoint("local", "unix:///nowhere.sock"),),
    )
    built = build_feeds(settings, clock=lambda: float(NOW))
    yield built
    built.close()


def test_dashboard_at_a_stored_minute(feeds) -> None:
    at = NOW - 3 * 3600 + 7 * 60 + 30  # inside a raw minute
    reading = feeds.dashboard.read_cache(HOST, as_of=at)
    assert reading.ok and reading.as_of == at
    minute = at - at % 60
    assert reading.health.cpu_percent == cpu_at(minute)
    assert reading.health.ts == minute
    assert reading.queues.queues[0].pending == pending_at(minute)
    assert reading.performance.ts == at - at % 300
    assert "stored minute" in reading.note and "5-min" in reading.note


def test_dashboard_a_month_back_reads_the_rollup(feeds) -> None:
    at = NOW - 4 * DAY + 1800 + 12 * 60  # raw rows pruned there: the hourly rollup answers
    reading = feeds.dashboard.read_cache(HOST, as_of=at)
    assert reading.ok and reading.note == "hourly rollup"
    hour = at - at % 3600
    expected = sum(cpu_at(t) for t in range(hour, hour + 3600, 60)) / 60
    assert reading.health.cpu_percent == pytest.approx(expected)
    assert reading.health.ts == hour


def test_dashboard_before_any_row(feeds) -> None:
    reading = feeds.dashboard.read_cache(HOST, as_of=NOW - 30 * DAY)
    assert reading.ok and reading.health is None
    assert reading.note == "nothing stored at that time"


def test_history_and_chart_end_at_the_cursor(feeds) -> None:
    at = NOW - 6 * 3600
    history = feeds.dashboard.read_history(HOST, ("health.cpu_percent",), 60, as_of=at)
    assert history.ok and history.as_of == at
    values = history.series["health.cpu_percent"]
    assert values[-1] == cpu_at(at - 60)
    chart = feeds.dashboard.read_chart(HOST, "health.cpu_percent", 3600, 60, as_of=at)
    assert chart.ok and chart.points[-1].ts == at - 60


def test_processes_at_a_time(feeds) -> None:
    during = feeds.processes.poll(HOST, as_of=CRASH + 3)
    states = {p.full_name: p for p in during.snapshot.processes}
    assert states["web:app"].statename == "BACKOFF"
    assert states["worker:w0"].statename == "RUNNING"
    assert during.restarts[("local", "web:app")] == (1, 1)  # the start at CRASH + 1 only
    assert [e.to_state for e in during.around][-3:] == ["BACKOFF", "STARTING", "RUNNING"]
    before = feeds.processes.poll(HOST, as_of=CRASH - 60)
    app = {p.full_name: p for p in before.snapshot.processes}["web:app"]
    assert (app.statename, app.pid) == ("RUNNING", 100)
    assert before.restarts.get(("local", "web:app"), (0, 0)) == (0, 0)
    after = feeds.processes.poll(HOST, as_of=CRASH + 600)
    app = {p.full_name: p for p in after.snapshot.processes}["web:app"]
    assert (app.statename, app.pid, app.uptime) == ("RUNNING", 102, 480)


def test_queues_at_a_time(feeds) -> None:
    at = NOW - 5 * 3600 + 25 * 60
    view = feeds.queues.load(HOST, as_of=at)
    (line,) = view.queues
    assert (line.name, line.pending, line.failed) == ("default", 25, 1)
    assert "stored minute" in view.queues_error
    assert line.history[-1] is not None  # the hour before, from the store
    assert "live only" in view.queues_error


def test_transitions_up_to_the_cursor(feeds) -> None:
    shown = feeds.processes.transitions("local", "web:app", host=HOST, until=CRASH + 3)
    assert [e.to_state for e in shown.events] == ["BACKOFF", "STARTING", "EXITED", "RUNNING"]
    everything = feeds.processes.transitions("local", "web:app", host=HOST)
    assert everything.events[0].to_state == "RUNNING" and len(everything.events) == 6


def test_an_unusable_stored_value_is_a_gap(feeds, store: Engine) -> None:
    """Infinity (PostgreSQL and SQLite keep it) or NaN: the panel gets no value."""
    from sqlalchemy import update

    from console.core.store.engine import writing
    from console.core.store.models import SystemHealthRow

    at = NOW - 3600 - 600
    minute = at - at % 60
    with writing(store) as conn:
        conn.execute(
            update(SystemHealthRow)
            .where(SystemHealthRow.bucket == minute, SystemHealthRow.resolution_s == 60)
            .values(cpu_percent=float("nan"), mem_percent=float("inf"))
        )
    reading = feeds.dashboard.read_cache(HOST, as_of=at)
    assert reading.ok and reading.health.ts == minute
    assert reading.health.cpu_percent is None and reading.health.mem_percent is None
