"""Counts read as English (`1 process`, `1 warning`), a button names its action, and a rolling
restart that stopped tells failed from skipped."""

from __future__ import annotations

from console.core.formatting import counted
from console.core.supervisor.models import SKIPPED, ActionResult, Outcome
from console.core.supervisor.targets import VERBS, Plan
from console.tui.screens.process_actions import confirmation


def test_counted_nouns() -> None:
    assert counted(1, "process", "processes") == "1 process"
    assert counted(3, "process", "processes") == "3 processes"
    assert counted(0, "warning") == "0 warnings" and counted(1, "warning") == "1 warning"


def test_the_clear_logs_dialog_asks_in_words_and_its_button_says_clear_logs() -> None:
    plan = Plan(
        "clear_logs", VERBS["clear_logs"], ("demo",), "web:web", ("web:web",), "supervisorctl clear"
    )
    ask = confirmation(plan)
    assert ask.title.startswith("Clear logs of 1 process?")
    assert ask.label == "Clear logs"


def test_a_rolling_restart_stopped_at_a_failure_counts_the_rest_as_skipped() -> None:
    outcomes = (
        Outcome("shop:a", False, "BACKOFF", "exited before startsecs"),
        Outcome("shop:b", False, "", f"{SKIPPED} rolling restart stopped at shop:a"),
    )
    result = ActionResult("rolling_restart", "demo", "shop:*", "supervisorctl restart shop:*")
    summary = ActionResult(**{**vars(result), "outcomes": outcomes}).summary()
    assert summary.startswith("supervisorctl restart shop:*: 1 of 2 failed, 1 skipped; shop:a")
