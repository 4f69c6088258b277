"""Actions against a real supervisord: every process's final state is reported truthfully."""

from __future__ import annotations

import os
import threading
import time

from console.core.supervisor.resources import has_execed
from console.core.supervisor.update import reread, update
from tests.supervisor.helpers import actions_for, wait_until
from tests.support.supervisord import Program

CRASHER = "sh -c 'sleep 0.3; exit 3'"


def test_stop_start_restart_report_each_final_state(supervisord_factory) -> None:
    sv = supervisord_factory([Program("a", "sleep 60"), Program("b", "sleep 60")])
    actions = actions_for(sv)
    old = sv.wait_for_state("a", {"RUNNING"})["pid"]
    stop = actions.stop("a")
    assert stop.ok and stop.outcomes[0].state == "STOPPED" and stop.outcomes[0].message == "stopped"
    again = actions.stop("a")
    assert again.ok and again.outcomes[0].message == "already stopped"
    start = actions.start("a:a")
    assert start.ok and start.outcomes[0].state == "RUNNING"
    assert actions.start("a").outcomes[0].message == "already running"
    restart = actions.restart("all")
    assert restart.ok and [o.target for o in restart.outcomes] == ["a:a", "b:b"]
    assert sv.rpc().supervisor.getProcessInfo("a")["pid"] != old
    assert restart.command == "supervisorctl restart all"


def test_bad_name_is_an_error_not_a_crash(supervisord_factory) -> None:
    sv = supervisord_factory([Program("a", "sleep 60")])
    result = actions_for(sv).restart("nosuch")
    assert not result.ok and "no such program" in result.error


def test_program_exiting_before_startsecs_is_a_failure(supervisord_factory) -> None:
    sv = supervisord_factory(
        [Program("flaky", CRASHER, {"startsecs": "1", "autostart": "false", "startretries": "0"})]
    )
    result = actions_for(sv).start("flaky")
    assert not result.ok
    outcome = result.outcomes[0]
    assert outcome.state in ("BACKOFF", "FATAL") and "exited before startsecs" in outcome.message


def test_restart_of_a_fatal_program(supervisord_factory, tmp_path) -> None:
    flag = tmp_path / "ready"
    command = f"sh -c 'test -f {flag} && exec sleep 60; exit 1'"
    sv = supervisord_factory([Program("svc", command, {"startsecs": "1", "startretries": "0"})])
    sv.wait_for_state("svc", {"FATAL"})
    actions = actions_for(sv)
    failed = actions.restart("svc")
    assert not failed.ok and failed.outcomes[0].state in ("BACKOFF", "FATAL")
    flag.write_text("ok")
    fixed = actions.restart("svc")
    assert fixed.ok and fixed.outcomes[0].state == "RUNNING"


def test_rolling_restart_stops_at_the_crash_looping_member(supervisord_factory) -> None:
    group = "\n[group:pool]\nprograms=a,b,c\n"
    sv = supervisord_factory(
        [
            Program("a", "sleep 60", {"startsecs": "0"}),
            Program("b", CRASHER, {"startsecs": "1", "startretries": "0"}),
            Program("c", "sleep 60", {"startsecs": "0"}),
        ],
        group,
    )
    c_pid = sv.wait_for_state("pool:c", {"RUNNING"})["pid"]
    a_pid = sv.wait_for_state("pool:a", {"RUNNING"})["pid"]
    result = actions_for(sv).rolling_restart("pool:*")
    assert [o.ok for o in result.outcomes] == [True, False, False]
    assert "skipped" in result.outcomes[2].message
    info = sv.rpc().supervisor.getProcessInfo
    assert info("pool:a")["pid"] != a_pid and info("pool:c")["pid"] == c_pid


def test_signals_and_clear_logs(supervisord_factory) -> None:
    sv = supervisord_factory([Program("a", "sh -c 'echo hello; exec sleep 60'")])
    sv.wait_for_state("a", {"RUNNING"})
    log = sv.logdir / "a.out.log"
    wait_until(lambda: log.exists() and log.read_text())
    actions = actions_for(sv)
    cleared = actions.clear_logs("a")
    assert cleared.ok and log.read_text() == ""
    sent = actions.signal("a", "INT")
    assert sent.ok and sent.command == "supervisorctl signal INT a"
    sv.wait_for_state("a", {"EXITED", "RUNNING", "STARTING"})
    bad = actions.signal("a", "NOSUCHSIG")
    assert not bad.ok


def test_back_to_back_restarts_never_wait_for_the_stop_timeout(supervisord_factory) -> None:
    sv = supervisord_factory([Program("p", "sleep 600", {"stopwaitsecs": "30"})])
    sv.wait_for_state("p", {"RUNNING"})
    actions = actions_for(sv)
    for _ in range(20):
        result = actions.restart("p")
        assert result.ok, result.summary()
    # a lost SIGTERM shows as supervisord escalating to SIGKILL after stopwaitsecs
    assert "SIGKILL" not in (sv.logdir / "supervisord.log").read_text()
    assert actions.stop("all").ok  # with the exec guard, so teardown does not hit the race


def test_a_child_that_has_not_exec_d_is_detected() -> None:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: stay in Python (no exec) until told to go
        os.close(write)
        os.read(read, 1)
        os._exit(0)
    try:
        assert has_execed(pid, os.getpid()) is False
    finally:
        os.write(write, b"x")
        os.waitpid(pid, 0)
    assert has_execed(pid, os.getpid()) is True  # gone: nothing to wait for


def test_reread_shows_changes_then_update_applies_them(supervisord_factory) -> None:
    sv = supervisord_factory([Program("old", "sleep 60"), Program("keep", "sleep 60")])
    sv.wait_for_state("old", {"RUNNING"})
    text = sv.conf.read_text()
    start = text.index("[program:old]")
    end = text.index("[program:keep]")
    sv.conf.write_text(text[:start] + text[end:] + "\n[program:new]\ncommand=sleep 60\n")
    actions = actions_for(sv)
    diff = reread(actions)
    assert diff.added == ("new",) and diff.removed == ("old",) and diff.changed == ()
    result = update(actions, diff)
    assert result.ok, result.summary()
    names = {p["name"] for p in sv.rpc().supervisor.getAllProcessInfo()}
    assert names == {"keep", "new"}
    assert actions.stop("all").ok


def test_restarting_supervisord_mid_action_is_not_reported_as_done(
    supervisord_factory, tmp_path
) -> None:
    ready = tmp_path / "trap-set"
    # The shell says when its trap is in place: a TERM before that would simply kill it.
    stubborn = f"sh -c \"trap '' TERM; touch {ready}; sleep 60 & wait\""
    sv = supervisord_factory([Program("slow", stubborn, {"stopwaitsecs": "3"})])
    sv.wait_for_state("slow", {"RUNNING"})
    deadline = time.monotonic() + 15
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    actions = actions_for(sv)
    results = []
    thread = threading.Thread(target=lambda: results.append(actions.stop("slow")))
    thread.start()
    sv.wait_for_state("slow", {"STOPPING"})
    sv.signal(1)  # SIGHUP: supervisord reloads (answers SHUTDOWN_STATE meanwhile)
    thread.join(timeout=60)
    (result,) = results
    assert not result.ok
    assert "not confirmed" in result.summary() or "restarting" in result.summary()
