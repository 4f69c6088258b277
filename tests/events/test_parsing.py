"""Parsing at the boundary: supervisord's protocol and payloads, its log lines, cache items."""

from __future__ import annotations

import io

import pytest

from console.core.events.exitlog import ExitStatuses, exit_lines, last_start
from console.core.events.model import from_item, from_supervisor
from console.core.events.protocol import Channel, ProtocolError

LOG = """\
2026-12-01 03:12:00,001 INFO supervisord started with pid 7
2026-12-01 03:12:01,100 INFO spawned: 'web' with pid 10
2026-12-01 03:12:01,200 WARN exited: web (exit status 3; not expected)
2026-12-01 03:12:02,300 INFO spawned: 'web' with pid 11
2026-12-01 03:12:02,350 WARN exited: web (terminated by SIGKILL (core dumped); not expected)
2026-12-01 03:12:03,000 INFO stopped: worker (exit status 0)
2026-12-01 03:12:04,000 INFO exited: web (exit status 0; expected)
"""


def test_exit_lines_read_status_signal_and_stop() -> None:
    lines = exit_lines(LOG)
    assert [(x.name, x.exitstatus, x.detail) for x in lines] == [
        ("web", 3, "exit status 3"),
        ("web", -1, "terminated by SIGKILL (core dumped)"),
        ("worker", 0, "exit status 0"),
        ("web", 0, "exit status 0"),
    ]
    assert last_start(LOG) == "2026-12-01 03:12:00,001"


def test_each_event_takes_the_next_line_of_its_program_once() -> None:
    statuses = ExitStatuses(lambda size: LOG[-size:], "2026-12-01 03:12:00,001")
    assert statuses.lookup("web").exitstatus == 3
    assert statuses.lookup("worker").detail == "exit status 0"
    assert statuses.lookup("web").exitstatus == -1
    assert statuses.lookup("web").exitstatus == 0
    assert statuses.lookup("web") is None  # never a line twice


def test_a_window_that_does_not_reach_the_cursor_is_widened() -> None:
    filler = "".join(f"2026-12-01 03:13:00,{n % 1000:03d} INFO noise {n}\n" for n in range(3000))
    log = LOG + filler
    statuses = ExitStatuses(lambda size: log[-size:], "2026-12-01 03:12:00,001")
    assert statuses.lookup("web").exitstatus == 3


def test_process_state_payload() -> None:
    payload = "processname:web groupname:shop from_state:RUNNING expected:0 pid:42"
    event = from_supervisor("PROCESS_STATE_EXITED", payload, "default", 5.0)
    assert (event.program, event.from_state, event.to_state) == ("shop:web", "RUNNING", "EXITED")
    assert (event.pid, event.expected, event.ts) == (42, False, 5.0)
    assert from_supervisor("PROCESS_GROUP_ADDED", "groupname:shop\n", "d", 1).to_state == "ADDED"
    assert from_supervisor("SUPERVISOR_STATE_CHANGE_STOPPING", "", "d", 1).kind == "supervisor"
    assert from_supervisor("TICK_5", "when:1", "d", 1) is None


def test_hostile_names_become_visible_text() -> None:
    payload = "processname:w\x1b[31m groupname:g from_state:STARTING tries:0"
    event = from_supervisor("PROCESS_STATE_BACKOFF", payload, "default", 5.0)
    assert "\x1b" not in event.program and "\\x1b" in event.program


@pytest.mark.parametrize(
    "item",
    [
        {},
        {"ts": "x", "kind": "process", "to_state": "RUNNING"},
        {"ts": 1, "kind": "?", "to_state": "X"},
        {"ts": float("nan"), "kind": "process", "to_state": "RUNNING"},
        {"ts": 1, "kind": "process"},
    ],
)
def test_items_that_are_not_events_read_as_none(item: dict) -> None:
    assert from_item(item) is None


def test_item_round_trip() -> None:
    event = from_supervisor(
        "PROCESS_STATE_RUNNING", "processname:a groupname:a from_state:STARTING pid:9", "d", 2.0
    )
    assert from_item(event.to_item()) == event


def test_channel_speaks_the_listener_protocol() -> None:
    body = b"processname:a groupname:a from_state:STOPPED tries:0"
    header = (
        "ver:3.0 server:supervisor serial:1 pool:p poolserial:1 "
        f"eventname:PROCESS_STATE_STARTING len:{len(body)}\n"
    )
    out = io.BytesIO()
    channel = Channel(io.BytesIO(header.encode() + body), out)
    channel.ready()
    envelope = channel.receive()
    channel.ok()
    assert envelope.eventname == "PROCESS_STATE_STARTING" and envelope.payload == body.decode()
    assert out.getvalue() == b"READY\nRESULT 2\nOK"
    assert channel.receive() is None  # stdin closed


def test_channel_refuses_what_is_not_a_header() -> None:
    with pytest.raises(ProtocolError):
        Channel(io.BytesIO(b"hello\n"), io.BytesIO()).receive()


def test_events_of_the_same_millisecond_keep_the_stream_order(tmp_path) -> None:
    from console.core import keys
    from console.core.cache.sqlite_cache import SqliteCache
    from console.core.events.timeline import transitions

    cache = SqliteCache(tmp_path / "cache.db")
    for to_state, from_state in (
        ("EXITED", "RUNNING"),
        ("STARTING", "EXITED"),
        ("RUNNING", "STARTING"),
    ):
        event = from_supervisor(
            f"PROCESS_STATE_{to_state}",
            f"processname:w groupname:g from_state:{from_state}",
            "d",
            7.0,
        )
        cache.stream_add(keys.process_events("h"), event.to_item(), 100)
    shown = transitions(cache, None, "h", "d", "g:w")
    assert [e.to_state for e in shown.events] == ["RUNNING", "STARTING", "EXITED"]  # newest first
    cache.close()


def test_supervisord_numbers_prove_nothing_went_missing(tmp_path) -> None:
    from sqlalchemy import select

    from console.core import keys
    from console.core.cache.sqlite_cache import SqliteCache
    from console.core.events.mover import move_events
    from console.core.store.engine import make_engine, upgrade
    from console.core.store.models import ProcessEventRow

    cache = SqliteCache(tmp_path / "cache.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'sw.db'}")
    upgrade(engine)
    name = keys.process_events("h")

    def write(serial: int, run: int = 7) -> None:
        payload = "processname:w groupname:g from_state:STARTING pid:1"
        event = from_supervisor("PROCESS_STATE_RUNNING", payload, "d", 1.0, serial, run)
        cache.stream_add(name, event.to_item(), 1000)

    for serial in (0, 1, 2):
        write(serial)
    assert move_events(cache, engine, "h", now=0).lost == 0
    for serial in (2, 5, 6):  # 2 again (delivered twice), then 3 and 4 missing
        write(serial)
    moved = move_events(cache, engine, "h", now=0)
    assert (moved.stored, moved.duplicates, moved.lost) == (2, 1, 2)
    write(0, run=8)  # supervisord restarted: its numbers start again
    assert move_events(cache, engine, "h", now=0).lost == 0
    with engine.connect() as conn:
        rows = conn.execute(select(ProcessEventRow.to_state, ProcessEventRow.detail)).all()
    assert [r.to_state for r in rows].count("LOST") == 1
    assert any("2 events lost" in (r.detail or "") for r in rows)
    cache.close()


class _Closed:
    """A pipe whose reader went away (supervisord exited)."""

    def write(self, data: bytes) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        return None


def test_the_listener_stops_quietly_when_supervisord_is_gone() -> None:
    from console.core.events.handoff import Handoff
    from console.core.events.listener import serve

    handoff = Handoff(lambda event: "1-0")
    assert serve(Channel(io.BytesIO(b""), _Closed()), handoff, "default") == 0
    assert serve(Channel(io.BytesIO(b"garbage\n"), io.BytesIO()), handoff, "default") == 2
    assert handoff.close() == 0
