"""What each kind of rule finds true in the readings: a list of findings, one per subject
(a program, a queue, a disk, a job, a source), or None when the readings it needs are missing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from console.core.alerts.model import Readings
from console.core.alerts.rules import AlertRule
from console.core.formatting import span

QUEUE_FAILURES_PER_MIN = 1.0  # the default: ten failed jobs in the default ten minutes


@dataclass(frozen=True)
class Finding:
    subject: str
    summary: str
    value: float | None = None
    threshold: float | None = None


def program_name(endpoint: str, program: str) -> str:
    return program if endpoint in ("", "default") else f"{endpoint}/{program}"


def _fatal(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.programs is None:
        return None
    return [
        Finding(name, f"{name} is FATAL (supervisord gave up starting it)")
        for p in r.programs
        if p.state == "FATAL" and (name := program_name(p.endpoint, p.program))
    ]


def _per_program(rule: AlertRule, r: Readings, now: float, unexpected: bool) -> dict[str, list]:
    found: dict[str, list] = {}
    for t in r.transitions or ():
        if t.ts < now - rule.window_s:
            continue
        wanted = (
            t.to_state == "EXITED" and t.expected is False
            if unexpected
            else t.to_state == "STARTING"
        )
        if wanted:
            found.setdefault(program_name(t.endpoint, t.program), []).append(t)
    return found


def _exited(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.transitions is None:
        return None
    out = []
    for name, exits in _per_program(rule, r, now, unexpected=True).items():
        last = max(exits, key=lambda t: t.ts)
        how = f" ({last.detail})" if last.detail else ""
        times = f"{len(exits)} times " if len(exits) > 1 else ""
        out.append(
            Finding(
                name,
                f"{name} exited unexpectedly{how} {times}in the last {_span(rule.window_s)}",
                len(exits),
            )
        )
    return out


def _crash_loop(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.transitions is None:
        return None
    return [
        Finding(
            name,
            f"{name} started {len(starts)} times in {_span(rule.window_s)} (crash loop)",
            len(starts),
            rule.count,
        )
        for name, starts in _per_program(rule, r, now, unexpected=False).items()
        if len(starts) >= rule.count
    ]


def _heartbeat(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if not r.heartbeat_known:
        return None
    limit = rule.threshold if rule.threshold is not None else 180.0
    if r.heartbeat_ts is None:  # no collection yet (the worker just started): nothing late
        return []
    age = now - r.heartbeat_ts
    if age < limit:
        return []
    return [Finding("worker", f"the worker's heartbeat is {span(age)} old", round(age), limit)]


def _job_missed(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.jobs is None:
        return None
    return [Finding(j.name, f"periodic job {j.name} MISSED its run") for j in r.jobs if j.missed]


def _job_failed(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.jobs is None or any(j.failed_in_row is None for j in r.jobs):
        return None  # a database outage must not resolve a failing job's alert
    return [
        Finding(
            j.name,
            f"job {j.name} failed {j.failed_in_row} times in a row: {j.last_error or '?'}",
            j.failed_in_row,
            rule.count,
        )
        for j in r.jobs
        if j.failed_in_row >= rule.count
    ]


def _queue_pending(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.queues is None:
        return None
    out = []
    for q in r.queues:
        limit = (
            rule.threshold
            if rule.threshold is not None
            else q.critical or r.thresholds.get("queue_pending")
        )
        if q.pending is not None and limit is not None and q.pending >= limit:
            out.append(
                Finding(q.name, f"queue {q.name} has {q.pending} jobs pending", q.pending, limit)
            )
    return out


def _queue_oldest(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.queues is None:
        return None
    limit = rule.threshold if rule.threshold is not None else 600.0
    return [
        Finding(
            q.name,
            f"queue {q.name}: oldest job waiting {span(q.oldest_age_s)}",
            round(q.oldest_age_s),
            limit,
        )
        for q in r.queues
        if q.oldest_age_s is not None and q.oldest_age_s >= limit
    ]


def _queue_failures(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    from console.core.alerts.queue_rate import failure_rate

    if r.queue_failed is None:
        return None
    limit = rule.threshold if rule.threshold is not None else QUEUE_FAILURES_PER_MIN
    out = []
    for name, series in sorted(r.queue_failed.items()):
        found = failure_rate(series, rule.window_s, now)
        if found is not None and found[1] >= limit:
            failures, per_min = found
            out.append(
                Finding(
                    name,
                    f"queue {name}: {failures:g} jobs failed in {_span(rule.window_s)} "
                    f"({per_min:.2g}/min)",
                    round(per_min, 2),
                    limit,
                )
            )
    return out


def _memory_restart(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.program_memory is None or rule.threshold is None:
        return None
    return [
        Finding(
            name,
            f"{name} uses {m.mb:.0f} MB with its children, over {rule.threshold:g} MB: "
            "restarted by the worker (not when it is read-only)",
            round(m.mb, 1),
            rule.threshold,
        )
        for m in r.program_memory
        if m.mb >= rule.threshold and (name := program_name(m.endpoint, m.program))
    ]


def _metric(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    metric = rule.metric or ""
    limit = rule.threshold if rule.threshold is not None else r.thresholds.get(metric)
    values = r.disks if metric == "disk_percent" else (r.metrics or {}).get(metric)
    if values is None or limit is None or r.metrics is None:
        return None
    pairs = values.items() if isinstance(values, dict) else [("host", values)]
    label = metric.replace("_percent", "").replace("_", " ")
    where = "on {} " if metric == "disk_percent" else ""
    return [
        Finding(
            subject,
            f"{label} {where.format(subject)}at {value:.4g} (critical {limit:g})",
            round(value, 2),
            limit,
        )
        for subject, value in pairs
        if value >= limit
    ]


def _disk_full(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.disks is None or r.disk_trend is None:
        return None
    hours = rule.threshold if rule.threshold is not None else 24.0
    out = []
    for mount, rate in r.disk_trend.items():
        used = r.disks.get(mount)
        if used is None or rate <= 0:
            continue
        left = max(0.0, (100.0 - used) / rate)
        if left <= hours:
            out.append(
                Finding(
                    mount,
                    f"disk {mount} at {used:.1f}% will be full in {left:.1f} h at its current rate",
                    round(left, 2),
                    hours,
                )
            )
    return out


def _source_down(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.sources is None:
        return None
    return [
        Finding(s.name, f"{s.name} is down: {s.reason or 'unreachable'}")
        for s in r.sources
        if not s.ok
    ]


def _host_silent(rule: AlertRule, r: Readings, now: float) -> list[Finding] | None:
    if r.peers is None:
        return None
    limit = rule.threshold if rule.threshold is not None else 300.0
    out = []
    for host, ts in r.peers.items():
        age = None if ts is None else now - ts
        if age is None or age >= limit:
            said = "an unreadable heartbeat" if age is None else f"last heartbeat {span(age)} ago"
            value = None if age is None else round(age)
            out.append(Finding(host, f"host {host} stopped reporting: {said}", value, limit))
    return out


_FINDERS: dict[str, Callable[[AlertRule, Readings, float], list[Finding] | None]] = {
    "fatal": _fatal,
    "exited": _exited,
    "crash_loop": _crash_loop,
    "heartbeat": _heartbeat,
    "job_missed": _job_missed,
    "job_failed": _job_failed,
    "queue_pending": _queue_pending,
    "queue_oldest": _queue_oldest,
    "queue_failures": _queue_failures,
    "memory_restart": _memory_restart,
    "metric": _metric,
    "disk_full": _disk_full,
    "source_down": _source_down,
    "host_silent": _host_silent,
}


def findings(rule: AlertRule, readings: Readings, now: float) -> list[Finding] | None:
    """What `rule` finds true, its `match` glob applied; None: it cannot tell."""
    found = _FINDERS[rule.kind](rule, readings, now)
    if found is None or rule.match == "*":
        return found
    return [f for f in found if fnmatchcase(f.subject, rule.match)]


def _span(seconds: float) -> str:
    if seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    return f"{seconds / 60:g} min" if seconds % 60 == 0 else f"{seconds:g} s"
