"""`stackwatch status --at TIME` and `stackwatch events --since TIME` on a seeded store."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from console.cli import main
from console.core.store.engine import make_engine, upgrade
from tests.cursor.seed import CRASH, HOST, NOW, seed


def iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def url(sqlite_url: str) -> str:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    seed(engine, days_raw=1, days_rolled=1)
    engine.dispose()
    return sqlite_url


def run(url: str, *args: str) -> int:
    return main(["--database-url", url, "--host", HOST, *args])


def test_status_at_prints_the_state_then(url: str, capsys: pytest.CaptureFixture) -> None:
    assert run(url, "status", "--at", iso(CRASH + 3)) == 0
    out = capsys.readouterr().out
    assert "AT " in out and "stored minute" in out
    app = next(line for line in out.splitlines() if "web:app" in line and "BACKOFF" in line)
    assert "restarts 1h 1 1d 1" in app
    assert "worker:w0" in out
    assert "> " in out  # the events from that time on are marked


def test_status_at_json(url: str, capsys: pytest.CaptureFixture) -> None:
    assert run(url, "status", "--at", iso(CRASH + 600), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    states = {p["full_name"]: (p["statename"], p["pid"]) for p in data["processes"]}
    assert states == {"web:app": ("RUNNING", 102), "worker:w0": ("RUNNING", 200)}
    assert data["values_from"].startswith("stored")
    assert data["queues"][0]["name"] == "default"
    assert data["at"] == CRASH + 600


def test_status_at_before_anything_stored(url: str, capsys: pytest.CaptureFixture) -> None:
    assert run(url, "status", "--at", iso(NOW - 30 * 86400)) == 1
    assert "nothing stored at that time" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["soonish", "2999-01-01", "25:99"])
def test_status_at_bad_time(url: str, capsys: pytest.CaptureFixture, bad: str) -> None:
    assert run(url, "status", "--at", bad) == 2
    err = capsys.readouterr().err
    assert err.startswith("stackwatch: --at:") and err.count("\n") == 1


def test_events_since(url: str, capsys: pytest.CaptureFixture) -> None:
    assert run(url, "events", "--since", iso(CRASH - 1), "--program", "web:app", "--json") == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["to_state"] for e in events] == [
        "EXITED",
        "STARTING",
        "BACKOFF",
        "STARTING",
        "RUNNING",
    ]
    assert events[0]["exitstatus"] == 3


def test_events_since_bad_time(url: str, capsys: pytest.CaptureFixture) -> None:
    assert run(url, "events", "--since", "whenever") == 2
    err = capsys.readouterr().err
    assert "not a time" in err and err.count("\n") == 1


def test_a_relative_time_after_the_flag(url: str, capsys: pytest.CaptureFixture) -> None:
    """`--at -2h` (not only `--at=-2h`): argparse would take `-2h` for a flag."""
    assert run(url, "status", "--at", "-2h") == 0  # the programs' last stored states
    out = capsys.readouterr().out
    assert "(2h ago)" in out and "nothing stored at that time" in out  # no metric rows then
    assert run(url, "events", "--since", "-30m", "--json") == 0
