"""The Exit column says what supervisord says: `exit status 3` for a program that crash-looped
into FATAL (getProcessInfo reads 0), `terminated by SIGINT` for a stop by SIGINT (it reads -1)."""

from __future__ import annotations

from console.core.settings import Settings, SupervisorEndpoint
from console.core.supervisor.exits import words_from_log
from console.core.supervisor.poll import Poller, make_clients
from console.core.supervisor.report import detail
from console.tui.widgets.process_layout import NARROW, cells_for
from console.tui.widgets.process_rows import program_row
from tests.support.supervisord import Program


def _poll(sv) -> dict:
    poller = Poller(make_clients(_settings(sv)), "h", resources=False)
    try:
        return {p.name: p for p in poller.poll().processes}
    finally:
        poller.close()


def _settings(sv) -> Settings:
    return Settings(supervisors=(SupervisorEndpoint("local", sv.url),))


def test_fatal_after_backoff_shows_the_exit_status_supervisord_logged(supervisord_factory) -> None:
    crasher = "sh -c 'echo starting; exit 3'"
    sv = supervisord_factory(
        [Program("payments", crasher, {"startsecs": "1", "startretries": "1"})]
    )
    sv.wait_for_state("payments", {"FATAL"})
    payments = _poll(sv)["payments"]
    assert payments.exitstatus == 0  # what getProcessInfo says: not what happened
    assert payments.exit_words == "exit status 3; not expected"
    row = program_row(payments, None, several=False)
    assert row.cells[4].startswith("exit status 3, ")
    narrow_info = cells_for(row, NARROW.widths(80), brief=True)[-1]
    assert narrow_info == "exit status 3; Exited too quickly"  # at 80 columns, whole
    assert detail(payments).endswith("; last exit status 3; not expected")


def test_a_stop_by_sigint_says_so(supervisord_factory) -> None:
    program = Program("web", "sleep 60", {"stopsignal": "INT", "startsecs": "0"})
    sv = supervisord_factory([program])
    sv.wait_for_state("web", {"RUNNING"})
    sv.rpc().supervisor.stopProcess("web", True)
    web = _poll(sv)["web"]
    assert web.statename == "STOPPED" and web.exitstatus == -1
    assert web.exit_words == "terminated by SIGINT"
    assert program_row(web, None, several=False).cells[4].startswith("terminated by SIGINT, ")


def test_log_lines_are_read_as_text_and_only_the_last_exit_counts() -> None:
    log = (
        "2026-12-01 06:00:00,001 WARN exited: pay (exit status 1; not expected)\n"
        "2026-12-01 06:00:02,001 INFO stopped: web (terminated by SIGTERM)\n"
        "2026-12-01 06:00:03,001 WARN exited: pay (exit status 3; not expected)\n"
        "2026-12-01 06:00:04,001 WARN exited: [bold]x\x1b[31m (exit status 2; expected)\n"
    )
    words = words_from_log(log)
    assert words["pay"] == "exit status 3; not expected"
    assert words["web"] == "terminated by SIGTERM"
    assert words["[bold]x\\x1b[31m"] == "exit status 2; expected"
