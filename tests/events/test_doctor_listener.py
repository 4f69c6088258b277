"""`doctor` says whether supervisord's event listener is installed and running, with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.doctor import check_supervisors
from console.core.settings import Settings, SupervisorEndpoint
from tests.events.helpers import start_with_listener
from tests.support.supervisord import Program

SLEEPER = Program("app", "sleep 600")


def listener_check(sv) -> object:
    settings = Settings(supervisors=(SupervisorEndpoint("default", sv.url),))
    return next(c for c in check_supervisors(settings) if c.area == "events")


@pytest.mark.slow
def test_doctor_warns_when_the_listener_is_not_installed(supervisord_factory) -> None:
    check = listener_check(supervisord_factory([SLEEPER]))
    assert check.status == "warn"
    assert "no [eventlistener:stackwatch-events]" in check.detail
    assert "stackwatch-events.conf" in check.fix


@pytest.mark.slow
def test_doctor_warns_when_the_listener_is_stopped_and_passes_when_it_runs(
    supervisord_factory, tmp_path: Path
) -> None:
    sv = start_with_listener(supervisord_factory, tmp_path, [SLEEPER], {})
    assert listener_check(sv).status == "ok"
    sv.rpc().supervisor.stopProcess("stackwatch-events:stackwatch-events")
    check = listener_check(sv)
    assert check.status == "warn"
    assert "STOPPED" in check.detail
    assert check.fix.startswith("supervisorctl start stackwatch-events")
