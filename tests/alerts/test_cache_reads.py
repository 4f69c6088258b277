"""Program states and transitions from the cache alone (the database down): the published
process list overlaid by newer stream events; nothing to go on is "cannot tell"."""

from __future__ import annotations

from console.core.alerts.cache_reads import cached_programs, cached_transitions
from console.core.alerts.conditions import findings
from console.core.alerts.model import Readings
from console.core.alerts.rules import AlertRule
from console.core.events.model import PROCESS, ProcessEvent
from console.core.fleet.published import Published
from console.core.supervisor.models import ProcessesSnapshot, ProcessInfo

NOW = 10_000.0


def listed(state: str, ts: float = NOW - 5) -> Published:
    info = ProcessInfo("default", "web", "web", 0, state)
    return Published(ProcessesSnapshot("h", ts, (info,)), interval=10)


def event(to_state: str, ts: float, expected: bool | None = None) -> ProcessEvent:
    return ProcessEvent(ts, "default", PROCESS, "web:web", to_state, expected=expected)


def states(published: Published | None, events: list[ProcessEvent]) -> dict[str, str] | None:
    found = cached_programs(published, events, NOW)
    return None if found is None else {p.program: p.state for p in found}


def test_the_published_list_gives_the_state_and_a_newer_event_overrides_it() -> None:
    assert states(listed("FATAL"), []) == {"web:web": "FATAL"}
    assert states(listed("RUNNING"), [event("FATAL", NOW - 1)]) == {"web:web": "FATAL"}
    assert states(listed("RUNNING"), [event("FATAL", NOW - 60)]) == {"web:web": "RUNNING"}


def test_a_stale_list_alone_or_nothing_cannot_tell() -> None:
    assert states(None, []) is None
    assert states(listed("FATAL", ts=NOW - 600), []) is None
    assert states(listed("RUNNING", ts=NOW - 600), [event("FATAL", NOW - 1)]) == {
        "web:web": "FATAL"
    }


def test_transitions_come_from_the_stream_window_and_none_without_a_listener() -> None:
    assert cached_transitions([], 300, NOW) is None
    events = [event("EXITED", NOW - 900, False), event("EXITED", NOW - 10, False)]
    found = cached_transitions(events, 300, NOW)
    assert found is not None and [t.ts for t in found] == [NOW - 10]


def test_the_fatal_rule_fires_from_the_cached_states() -> None:
    readings = Readings(host="h", programs=cached_programs(listed("FATAL"), [], NOW))
    found = findings(AlertRule("program_fatal", "fatal"), readings, NOW)
    assert found is not None and [f.subject for f in found] == ["web:web"]
