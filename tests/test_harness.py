"""The test harness itself: the private supervisord really runs programs."""

from tests.support.supervisord import Program


def test_private_supervisord_runs_a_program(supervisord_factory) -> None:
    sv = supervisord_factory([Program("sleeper", "sleep 30")])
    info = sv.wait_for_state("sleeper", {"RUNNING"})
    assert info["pid"] > 0
