"""`stackwatch alerts test [TARGET]`: one test message to a target, or to every configured one."""

from __future__ import annotations

import sys
import time

from console.core.settings import Settings


def send_test(settings: Settings, target: str | None) -> int:
    """Exit 0 every target took it, 1 one failed, 2 no target or a malformed one."""
    from console.core.alerts.deliver import send
    from console.core.alerts.model import Notification
    from console.core.alerts.outbox import all_targets
    from console.core.alerts.targets import check_target
    from console.core.redact import mask_target

    if target:
        try:
            targets = [check_target(target)]
        except ValueError as exc:
            print(f"stackwatch: {exc}", file=sys.stderr)
            return 2
    else:
        rules = {r.name: r.notify for r in settings.alert_rules}
        targets = sorted(all_targets(settings.alerts_notify, rules))
    if not targets:
        print(
            "stackwatch: no targets: set [alerts] notify or STACKWATCH_ALERTS_NOTIFY",
            file=sys.stderr,
        )
        return 2
    now = time.time()
    note = Notification(
        id=f"test:{int(now * 1000)}",
        event="test",
        host=settings.host,
        rule="test",
        subject="stackwatch",
        summary="a test message from `stackwatch alerts test`",
        since=now,
        ts=now,
    )
    failed = 0
    for each in targets:
        error = send(each, note, "test")
        print(f"{mask_target(each)}: " + ("sent" if error is None else f"FAILED — {error}"))
        failed += error is not None
    return 1 if failed else 0
