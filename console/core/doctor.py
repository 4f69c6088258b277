"""`stackwatch doctor`: every part of the stack checked, each result with its one-line fix.

The original setup's "verification commands" and "troubleshooting" sections as code. Checks
are plain functions returning Check dataclasses; nothing here prints. Each part of the stack
has its own module (doctor_supervisord, doctor_cache, doctor_database); this one runs them all.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping

from console.core.doctor_cache import check_cache
from console.core.doctor_database import check_database
from console.core.doctor_jobs import published_by_worker
from console.core.doctor_model import OK, WARN, Check
from console.core.doctor_supervisord import check_supervisors
from console.core.sanitize import clean
from console.core.settings import Settings

__all__ = ["Check", "check_environment", "check_logs", "check_supervisors", "run_checks"]


def check_logs(settings: Settings) -> Iterator[Check]:
    for spec in settings.log_files:
        readable = os.access(spec.path, os.R_OK)
        yield Check(
            "logs",
            clean(spec.name),
            OK if readable else WARN,
            clean(spec.path) + ("" if readable else ": not readable"),
            "" if readable else "check the path and this user's permissions",
        )


def check_environment(env: Mapping[str, str]) -> Iterator[Check]:
    """A STACKWATCH_* variable that no setting reads is a typo until proven otherwise."""
    from console.core.settings_report import unknown_variables

    for var, near in unknown_variables(env):
        fix = f"did you mean {near}?" if near else "see README's Settings for every variable"
        yield Check("settings", clean(var, 80), WARN, "not a stackwatch variable: ignored", fix)


def run_checks(settings: Settings, now: float | None = None) -> list[Check]:
    """Every check for `settings.host` (narrow the settings with `Settings.for_host` to look
    at another host); staleness is judged by what that host's worker published."""
    now = time.time() if now is None else now
    worker = published_by_worker(settings)
    sections: list[Callable[[], Iterator[Check]]] = [
        lambda: check_environment(os.environ),
        lambda: check_supervisors(settings),
        lambda: check_cache(settings, now, worker),
        lambda: check_database(settings, now, worker),
        lambda: check_logs(settings),
    ]
    return [check for section in sections for check in section()]
