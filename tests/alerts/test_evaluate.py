"""The evaluator as a pure function: pending -> firing -> resolved, repeat, silences, and every
kind of rule against readings made by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from console.core.alerts.evaluate import KEEP_RESOLVED_S, evaluate, firing
from console.core.alerts.model import (
    FIRING,
    PENDING,
    RESOLVED,
    ExitReading,
    JobReading,
    ProgramReading,
    QueueReading,
    Readings,
    SourceReading,
    fingerprint,
    notification_from_item,
    state_from_item,
)
from console.core.alerts.rules import DEFAULT_RULES, AlertRule
from console.core.alerts.silences import new_silence, silence_from_item

HOST = "web1"
T0 = 1_800_000_000.0
REPEAT = 4 * 3600.0
RULES = {r.name: r for r in DEFAULT_RULES}


def programs(*items: tuple[str, str]) -> Readings:
    return Readings(HOST, programs=tuple(ProgramReading("default", p, s, T0 - 5) for p, s in items))


def cpu(value: float) -> Readings:
    return Readings(HOST, metrics={"cpu_percent": value}, disks={}, thresholds={"cpu_percent": 95})


def run(rules, readings, states=None, silences=(), now=T0, repeat=REPEAT):
    return evaluate(list(rules), readings, states or {}, list(silences), now, repeat)


def test_fatal_fires_at_once_and_resolves_once():
    rule = RULES["program_fatal"]
    first = run([rule], programs(("web:web_0", "FATAL"), ("web:web_1", "RUNNING")))
    assert [n.event for n in first.notifications] == ["firing"]
    (note,) = first.notifications
    assert note.subject == "web:web_0" and note.host == HOST and "FATAL" in note.summary
    again = run([rule], programs(("web:web_0", "FATAL")), first.states, now=T0 + 10)
    assert again.notifications == []  # same condition, same fingerprint: no second message
    fixed = run([rule], programs(("web:web_0", "RUNNING")), again.states, now=T0 + 20)
    assert [n.event for n in fixed.notifications] == ["resolved"]
    assert fixed.notifications[0].fingerprint == note.fingerprint
    (state,) = fixed.states.values()
    assert state.status == RESOLVED and state.resolved_at == T0 + 20
    later = run([rule], programs(("web:web_0", "RUNNING")), fixed.states, now=T0 + 30)
    assert later.notifications == [] and next(iter(later.states.values())).status == RESOLVED


def test_pending_until_for_then_firing():
    rule = replace(RULES["cpu_high"], for_s=300)
    one = run([rule], cpu(99))
    (state,) = one.states.values()
    assert state.status == PENDING and one.notifications == []
    two = run([rule], cpu(99), one.states, now=T0 + 299)
    assert next(iter(two.states.values())).status == PENDING and two.notifications == []
    three = run([rule], cpu(98), two.states, now=T0 + 300)
    assert next(iter(three.states.values())).status == FIRING
    (note,) = three.notifications
    assert note.value == 98 and note.threshold == 95 and note.since == T0


def test_pending_that_clears_is_forgotten_without_a_message():
    rule = replace(RULES["cpu_high"], for_s=300)
    one = run([rule], cpu(99))
    two = run([rule], cpu(10), one.states, now=T0 + 60)
    assert two.states == {} and two.notifications == []


def test_repeat_while_firing():
    rule = RULES["program_fatal"]
    one = run([rule], programs(("a", "FATAL")), repeat=3600)
    two = run([rule], programs(("a", "FATAL")), one.states, now=T0 + 3599, repeat=3600)
    three = run([rule], programs(("a", "FATAL")), two.states, now=T0 + 3600, repeat=3600)
    assert two.notifications == []
    assert [n.event for n in three.notifications] == ["repeat"]


def test_rule_repeat_overrides_the_default():
    rule = replace(RULES["program_fatal"], repeat_s=60)
    one = run([rule], programs(("a", "FATAL")))
    two = run([rule], programs(("a", "FATAL")), one.states, now=T0 + 61)
    assert [n.event for n in two.notifications] == ["repeat"]


def test_missing_readings_keep_the_alert_as_it_was():
    rule = RULES["program_fatal"]
    one = run([rule], programs(("a", "FATAL")))
    blind = run([rule], Readings(HOST), one.states, now=T0 + 30)  # supervisord not read
    assert blind.states == one.states and blind.notifications == []


def test_silence_by_fingerprint_sends_nothing_and_expires():
    rule = RULES["program_fatal"]
    fp = fingerprint(HOST, rule.name, "a")
    hush = new_silence(fp, 600, "deploying", "ops", T0 - 1)
    one = run([rule], programs(("a", "FATAL")), silences=[hush])
    assert one.notifications == []
    (state,) = one.states.values()
    assert state.status == FIRING and state.silenced
    assert [event for event, _ in one.history] == ["silenced"]
    still = run([rule], programs(("a", "FATAL")), one.states, [hush], now=T0 + 598)
    assert still.notifications == []
    after = run([rule], programs(("a", "FATAL")), still.states, [hush], now=T0 + 600)
    assert [n.event for n in after.notifications] == ["firing"]


def test_silenced_alert_that_never_sent_resolves_quietly():
    rule = RULES["program_fatal"]
    hush = new_silence(rule.name, 600, "maintenance", "ops", T0)  # the whole rule
    one = run([rule], programs(("a", "FATAL")), silences=[hush])
    two = run([rule], programs(("a", "RUNNING")), one.states, [hush], now=T0 + 5)
    three = run([rule], programs(("a", "RUNNING")), two.states, now=T0 + 700)
    assert one.notifications == two.notifications == three.notifications == []


def test_resolved_alerts_are_dropped_after_a_day_and_can_fire_again():
    rule = RULES["program_fatal"]
    one = run([rule], programs(("a", "FATAL")))
    two = run([rule], programs(("a", "RUNNING")), one.states, now=T0 + 1)
    again = run([rule], programs(("a", "FATAL")), two.states, now=T0 + 2)
    assert [n.event for n in again.notifications] == ["firing"]
    assert next(iter(again.states.values())).since == T0 + 2
    gone = run([rule], programs(("a", "RUNNING")), two.states, now=T0 + 1 + KEEP_RESOLVED_S)
    assert gone.states == {}


def test_disabled_rule_does_nothing():
    rule = replace(RULES["program_fatal"], enabled=False)
    assert run([rule], programs(("a", "FATAL"))).states == {}


def test_match_glob_limits_subjects():
    rule = replace(RULES["program_fatal"], match="web:*")
    found = run([rule], programs(("web:a", "FATAL"), ("cron:b", "FATAL")))
    assert [n.subject for n in found.notifications] == ["web:a"]


def exits(*items: tuple[str, float, str, bool | None]) -> Readings:
    return Readings(
        HOST,
        transitions=tuple(ExitReading("default", p, ts, st, exp) for p, ts, st, exp in items),
    )


def test_crash_loop_counts_starts_in_the_window():
    rule = replace(RULES["crash_loop"], count=3, window_s=60)
    three = exits(
        *[("w", T0 - s, "STARTING", None) for s in (1, 20, 50)], ("x", T0, "STARTING", None)
    )
    (note,) = run([rule], three).notifications
    assert note.subject == "w" and note.value == 3 and note.threshold == 3
    old = exits(*[("w", T0 - s, "STARTING", None) for s in (1, 20, 61)])
    assert run([rule], old).states == {}


def test_unexpected_exit_fires_and_expected_does_not():
    rule = RULES["program_exited"]
    found = run([rule], exits(("w", T0 - 5, "EXITED", False), ("ok", T0 - 5, "EXITED", True)))
    assert [n.subject for n in found.notifications] == ["w"]
    later = run([rule], exits(("w", T0 - 5, "EXITED", False)), found.states, now=T0 + 400)
    assert [n.event for n in later.notifications] == ["resolved"]


def test_heartbeat_late_and_unknown():
    rule = RULES["worker_heartbeat"]
    late = Readings(HOST, heartbeat_ts=T0 - 200, heartbeat_known=True)
    (note,) = run([rule], late).notifications
    assert note.value == 200 and note.threshold == 180
    fresh = Readings(HOST, heartbeat_ts=T0 - 20, heartbeat_known=True)
    assert run([rule], fresh).states == {}
    assert run([rule], Readings(HOST, heartbeat_ts=None, heartbeat_known=True)).states == {}
    assert run([rule], Readings(HOST)).states == {}


def test_jobs_missed_and_failed_in_a_row():
    jobs = (
        JobReading("collect_system_metrics", missed=True),
        JobReading("store_metrics", failed_in_row=3, last_error="database down"),
        JobReading("cleanup_old_metrics", failed_in_row=2),
    )
    first = run([RULES["job_missed"], RULES["job_failed"]], Readings(HOST, jobs=jobs))
    found = run(
        [RULES["job_missed"], RULES["job_failed"]],
        Readings(HOST, jobs=jobs),
        first.states,
        now=T0 + 120,  # MISSED for two minutes: one late run is no alert
    )
    assert [n.rule for n in first.notifications] == ["job_failed"]
    assert sorted((n.rule, n.subject) for n in [*first.notifications, *found.notifications]) == [
        ("job_failed", "store_metrics"),
        ("job_missed", "collect_system_metrics"),
    ]


def test_queue_rules_use_the_queue_critical_then_the_setting():
    queues = (
        QueueReading("mail", pending=60, critical=50),
        QueueReading("web", pending=600, oldest_age_s=900),
        QueueReading("idle", pending=0),
    )
    readings = Readings(HOST, queues=queues, thresholds={"queue_pending": 500})
    found = run([RULES["queue_pending"], RULES["queue_oldest"]], readings)
    pending = {s.subject: s.value for s in found.states.values() if s.rule == "queue_pending"}
    assert pending == {"mail": 60, "web": 600}
    assert [s.subject for s in found.states.values() if s.rule == "queue_oldest"] == ["web"]


def test_disks_over_critical_and_filling_up():
    readings = Readings(
        HOST,
        metrics={},
        disks={"/": 96.0, "/data": 70.0, "/tmp": 50.0},
        disk_trend={"/": 0.0, "/data": 2.0, "/tmp": -1.0},
        thresholds={"disk_percent": 95},
    )
    found = run([RULES["disk_high"], RULES["disk_filling"]], readings)
    (high,) = [s for s in found.states.values() if s.rule == "disk_high"]
    assert high.subject == "/" and high.status == PENDING  # for 5 minutes first
    (filling,) = [s for s in found.states.values() if s.rule == "disk_filling"]
    assert filling.subject == "/data" and filling.value == 15.0  # 30 % left at 2 %/h


def test_source_down_waits_for_its_duration():
    rule = RULES["source_down"]
    down = Readings(HOST, sources=(SourceReading("database", False, "refused"),))
    one = run([rule], down)
    assert one.notifications == []
    two = run([rule], down, one.states, now=T0 + rule.for_s)
    (note,) = two.notifications
    assert "refused" in note.summary


def test_firing_lists_only_firing():
    rule = replace(RULES["cpu_high"], for_s=0)
    pending = replace(RULES["memory_high"], for_s=60)
    readings = Readings(
        HOST,
        metrics={"cpu_percent": 99, "mem_percent": 99},
        disks={},
        thresholds={"cpu_percent": 95, "mem_percent": 95},
    )
    result = run([rule, pending], readings)
    assert [s.rule for s in firing(result.states)] == ["cpu_high"]


def test_states_and_notifications_round_trip_and_reject_junk():
    result = run([RULES["program_fatal"]], programs(("web:a", "FATAL")))
    (state,) = result.states.values()
    assert state_from_item(state.to_item()) == state
    hostile = state_from_item({**state.to_item(), "subject": "a\x1b[31m"})
    assert hostile is not None and "\x1b" not in hostile.subject
    note = result.notifications[0]
    assert notification_from_item(note.to_item()) == replace(note, targets=None)
    for junk in (None, [], {"fingerprint": 1}, {**state.to_item(), "status": "odd"}):
        assert state_from_item(junk) is None
    assert silence_from_item({"id": "x"}) is None


@pytest.mark.parametrize("duration", [0, -1, 31 * 86400])
def test_silence_needs_a_sane_duration(duration):
    with pytest.raises(ValueError):
        new_silence("x", duration, "why", "me", T0)


def test_silence_needs_a_reason():
    with pytest.raises(ValueError):
        new_silence("x", 60, "  ", "me", T0)


def test_every_default_rule_runs_on_empty_readings():
    assert run(DEFAULT_RULES, Readings(HOST)).states == {}
    assert all(isinstance(r, AlertRule) for r in DEFAULT_RULES)


def test_a_silent_host_fires_when_this_worker_is_the_fleet_sender():
    rule = RULES["host_silent"]
    peers = {"web-2": T0 - 400, "web-3": T0 - 20, "odd": None}
    found = run([rule], Readings(HOST, peers=peers))
    assert sorted(n.subject for n in found.notifications) == ["odd", "web-2"]
    (late,) = [n for n in found.notifications if n.subject == "web-2"]
    assert late.value == 400 and late.threshold == 300 and "stopped reporting" in late.summary
    assert run([rule], Readings(HOST, peers=None), found.states).states == found.states


def test_a_failing_job_stays_firing_while_the_store_cannot_say():
    rule = RULES["job_failed"]
    failing = (JobReading("store_metrics", failed_in_row=3, last_error="boom"),)
    one = run([rule], Readings(HOST, jobs=failing))
    assert [n.event for n in one.notifications] == ["firing"]
    unknown = (JobReading("store_metrics", failed_in_row=None),)  # the database is down
    blind = run([rule], Readings(HOST, jobs=unknown), one.states, now=T0 + 60)
    assert blind.notifications == [] and blind.states == one.states
    fixed = (JobReading("store_metrics", failed_in_row=0),)
    back = run([rule], Readings(HOST, jobs=fixed), blind.states, now=T0 + 120)
    assert [n.event for n in back.notifications] == ["resolved"]
