"""What an alert says: host, what, since when, the value against its threshold, and the
`stackwatch` command to look closer. Outside text (program, queue and host names, error text)
is cleaned of control codes and bounded here; `escape_markdown` covers targets that read
markdown (apprise sends our plain text to HTML targets escaped)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from typing import Any

from console.core.alerts.model import Notification
from console.core.formatting import span
from console.core.sanitize import clean

_LOOK = {
    "fatal": "stackwatch --host {host} logs {subject} --stderr",
    "exited": "stackwatch --host {host} events --program {subject}",
    "crash_loop": "stackwatch --host {host} events --program {subject}",
    "queue_pending": "stackwatch --host {host} queues",
    "queue_oldest": "stackwatch --host {host} queues",
    "metric": "stackwatch --host {host} status",
    "disk_full": "stackwatch --host {host} status",
    "host_silent": "stackwatch doctor --host {subject}",
}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")


def look_closer(rule_kind: str, host: str, subject: str) -> str:
    """The command that shows more about this alert (shell-quoted outside text)."""
    pattern = _LOOK.get(rule_kind, "stackwatch --host {host} doctor")
    return pattern.format(host=shlex.quote(host), subject=shlex.quote(subject))


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def title(n: Notification) -> str:
    word = {"resolved": "RESOLVED", "test": "TEST"}.get(n.event, "FIRING")
    return clean(f"[{word}] {n.host}: {n.rule} — {n.subject}", 250)


def body(n: Notification, rule_kind: str) -> str:
    """The message's text, one fact a line."""
    lines = [f"host: {n.host}", f"what: {n.summary}"]
    if n.event == "resolved":
        lines.append(
            f"since: {_when(n.since)}, resolved {_when(n.ts)} after {span(n.ts - n.since)}"
        )
    else:
        lines.append(f"since: {_when(n.since)} ({span(n.ts - n.since)})")
    if n.value is not None or n.threshold is not None:
        lines.append(f"value: {_number(n.value)} (threshold {_number(n.threshold)})")
    lines.append(f"look closer: {look_closer(rule_kind, n.host, n.subject)}")
    return "\n".join(clean(line, 1000) for line in lines)


def as_json(n: Notification, rule_kind: str) -> dict[str, Any]:
    """Our JSON (a `command` target reads it on stdin): the notification and its text."""
    return n.to_item() | {
        "title": title(n),
        "body": body(n, rule_kind),
        "look_closer": look_closer(rule_kind, n.host, n.subject),
    }


def dumps(n: Notification, rule_kind: str) -> str:
    return json.dumps(as_json(n, rule_kind), ensure_ascii=False)


def escape_markdown(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)
