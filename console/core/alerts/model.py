"""The alert evaluator's inputs and outputs: plain frozen dataclasses, parsed at one boundary
(`readings.py` for what the worker collects, `from_item` here for what comes back from the
cache), so the evaluator itself never meets a value it cannot use."""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from console.core.sanitize import clean

PENDING, FIRING, RESOLVED = "pending", "firing", "resolved"
STATUSES = (PENDING, FIRING, RESOLVED)


@dataclass(frozen=True)
class ProgramReading:
    """A program's current state and when it entered it."""

    endpoint: str
    program: str
    state: str
    since: float


@dataclass(frozen=True)
class ExitReading:
    """A transition that matters to alerts: a start, or an exit (expected or not)."""

    endpoint: str
    program: str
    ts: float
    to_state: str
    expected: bool | None = None
    detail: str | None = None


@dataclass(frozen=True)
class JobReading:
    """One periodic job: MISSED or not, and how many of its newest runs failed in a row."""

    name: str
    missed: bool = False
    failed_in_row: int | None = 0  # None: the store cannot say (down): cannot tell
    last_error: str | None = None


@dataclass(frozen=True)
class QueueReading:
    name: str
    pending: int | None = None
    oldest_age_s: float | None = None
    critical: float | None = None  # the queue's own critical pending count, if set


@dataclass(frozen=True)
class SourceReading:
    name: str  # "database", "supervisord web", ...
    ok: bool
    reason: str = ""


@dataclass(frozen=True)
class Readings:
    """Everything the rules look at, at one moment. A `None` part could not be read: rules on
    it keep their alerts as they were (no data is not "resolved")."""

    host: str
    metrics: dict[str, float] | None = None  # cpu_percent, mem_percent, load_per_core, ...
    disks: dict[str, float] | None = None  # mount -> percent used
    disk_trend: dict[str, float] | None = None  # mount -> percent per hour (growing > 0)
    heartbeat_ts: float | None = None
    heartbeat_known: bool = False  # False: the cache could not be read
    programs: tuple[ProgramReading, ...] | None = None
    transitions: tuple[ExitReading, ...] | None = None  # recent starts and exits
    jobs: tuple[JobReading, ...] | None = None
    queues: tuple[QueueReading, ...] | None = None
    queue_failed: dict[str, tuple[tuple[float, float], ...]] | None = None  # (ts, failed count)
    program_memory: tuple[Any, ...] | None = None  # console.core.alerts.memmon.ProgramMemory
    sources: tuple[SourceReading, ...] | None = None
    # other hosts' last heartbeat; None unless this worker is the fleet's one sender for them
    peers: dict[str, float | None] | None = None
    thresholds: dict[str, float] = field(default_factory=dict)  # metric -> its CRIT


def fingerprint(host: str, rule: str, subject: str) -> str:
    """The same condition has the same fingerprint, from one evaluation to the next."""
    return hashlib.sha1(f"{host}\x00{rule}\x00{subject}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class AlertState:
    """One alert as the evaluator keeps it between runs (in the cache, field = fingerprint)."""

    fingerprint: str
    rule: str
    subject: str
    status: str
    since: float  # when the condition was first seen true
    summary: str = ""
    value: float | None = None
    threshold: float | None = None
    severity: str = "critical"
    fired_at: float | None = None
    resolved_at: float | None = None
    last_sent: float | None = None  # last firing/repeat message queued; None: never
    silenced: bool = False

    def to_item(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _text(value: Any, limit: int = 255) -> str | None:
    return clean(value, limit) if isinstance(value, str) else None


def state_from_item(item: Any) -> AlertState | None:
    """A state read back from the cache, or None when it is not one of ours."""
    if not isinstance(item, dict):
        return None
    fp, rule, subject = (_text(item.get(k)) for k in ("fingerprint", "rule", "subject"))
    status, since = item.get("status"), _num(item.get("since"))
    if not fp or not rule or subject is None or status not in STATUSES or since is None:
        return None
    return AlertState(
        fingerprint=fp,
        rule=rule,
        subject=subject,
        status=status,
        since=since,
        summary=_text(item.get("summary"), 500) or "",
        value=_num(item.get("value")),
        threshold=_num(item.get("threshold")),
        severity=_text(item.get("severity"), 16) or "critical",
        fired_at=_num(item.get("fired_at")),
        resolved_at=_num(item.get("resolved_at")),
        last_sent=_num(item.get("last_sent")),
        silenced=item.get("silenced") is True,
    )


@dataclass(frozen=True)
class Notification:
    """A message to send: an alert firing, repeating or resolved (or a test)."""

    id: str  # fingerprint:event:ts — the key that makes a delivery happen once
    event: str  # firing | repeat | resolved | test
    host: str
    rule: str
    subject: str
    summary: str
    since: float
    ts: float
    severity: str = "critical"
    value: float | None = None
    threshold: float | None = None
    fingerprint: str = ""
    targets: tuple[str, ...] | None = None  # the rule's own; None: [alerts] notify

    def to_item(self) -> dict[str, Any]:
        item = {k: v for k, v in asdict(self).items() if v is not None}
        item.pop("targets", None)  # targets are secrets: the outbox keeps them per delivery
        return item


def notification_from_item(item: Any) -> Notification | None:
    if not isinstance(item, dict):
        return None
    texts = {k: _text(item.get(k), 500) for k in ("id", "event", "host", "rule", "subject")}
    since, ts = _num(item.get("since")), _num(item.get("ts"))
    if any(v is None for v in texts.values()) or since is None or ts is None:
        return None
    return Notification(
        **texts,  # type: ignore[arg-type]
        summary=_text(item.get("summary"), 1000) or "",
        since=since,
        ts=ts,
        severity=_text(item.get("severity"), 16) or "critical",
        value=_num(item.get("value")),
        threshold=_num(item.get("threshold")),
        fingerprint=_text(item.get("fingerprint"), 64) or "",
    )
