"""Sending one message to one target: apprise for URLs, a program for `command:` targets (our
JSON on its stdin). Returns None when sent, else why not in one line with the target's secrets
masked. Never raises for a target that is down, slow or wrong."""

from __future__ import annotations

import logging
import subprocess
from urllib.parse import urlsplit

from console.core.alerts import message
from console.core.alerts.model import Notification
from console.core.alerts.targets import COMMAND, command_words
from console.core.redact import redact
from console.core.sanitize import first_line

TIMEOUT_S = 10.0


def _secrets(target: str) -> list[str]:
    """The parts of a target that may be secret: itself, its user part, each path segment."""
    found = [target]
    try:
        parts = urlsplit(target)
        found += [parts.username or "", parts.password or "", parts.query]
        found += [segment for segment in parts.path.split("/") if len(segment) >= 4]
    except ValueError:
        pass
    return [s for s in found if s]


def _why(text: str, target: str) -> str:
    return redact(first_line(text, 300), _secrets(target)) or "failed"


def send(target: str, note: Notification, rule_kind: str, timeout: float = TIMEOUT_S) -> str | None:
    """Deliver `note` to `target`: None when it was accepted, else the reason."""
    if target.startswith(COMMAND):
        return _command(target, note, rule_kind, timeout)
    return _apprise(target, note, rule_kind, timeout)


def _apprise(target: str, note: Notification, rule_kind: str, timeout: float) -> str | None:
    import apprise  # here only: ~100 ms and requests, for the worker's sender and `alerts test`

    # apprise's own lines may quote parts of a target; ours say the same with the target masked
    logging.getLogger("apprise").propagate = False
    sender = apprise.Apprise()
    if not sender.add(target):
        return "apprise does not understand this target URL"
    kind = {
        "resolved": apprise.NotifyType.SUCCESS,
        "test": apprise.NotifyType.INFO,
    }.get(note.event, apprise.NotifyType.FAILURE)
    with apprise.LogCapture(level=apprise.logging.WARNING) as captured:
        ok = sender.notify(
            body=message.body(note, rule_kind),
            title=message.title(note),
            notify_type=kind,
            body_format=apprise.NotifyFormat.TEXT,  # apprise escapes it for HTML targets
            interpret_escapes=False,
            timeout=timeout,
        )
        said = captured.getvalue()
    if ok:
        return None
    lines = [line.split(" - ", 2)[-1] for line in said.splitlines() if line.strip()]
    return _why(lines[-1] if lines else "the target refused the message", target)


def _command(target: str, note: Notification, rule_kind: str, timeout: float) -> str | None:
    argv = command_words(target)
    try:
        done = subprocess.run(
            argv,
            input=message.dumps(note, rule_kind).encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"{argv[0]} did not finish within {timeout:g} s"
    except OSError as exc:
        return _why(f"{argv[0]}: {exc.strerror or exc}", target)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()
        return _why(f"{argv[0]} exited {done.returncode}: {said or 'no message'}", target)
    return None
