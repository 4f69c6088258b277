"""Alert rules: the defaults that need no configuration, and `[[alert]]` tables checked so a bad
rule is one line naming the key.

A table whose `name` is a default rule's changes that rule (`enabled = false` turns it off);
any other name adds a rule, which then needs a `kind`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from console.core.settings_check import bad

KINDS = (
    "fatal",  # a program is FATAL
    "exited",  # a program exited unexpectedly within `window`
    "crash_loop",  # a program started `count` times within `window`
    "heartbeat",  # the worker's heartbeat is older than `threshold` seconds
    "job_missed",  # a periodic job (ours or an app's) is MISSED
    "job_failed",  # one of our periodic jobs failed `count` times in a row
    "queue_pending",  # a queue's pending count over `threshold` (default: its critical)
    "queue_oldest",  # a queue's oldest job older than `threshold` seconds
    "queue_failures",  # a queue's jobs failing at `threshold` per minute or more over `window`
    "metric",  # a system metric over `threshold` (default: its critical threshold)
    "disk_full",  # a disk full within `threshold` hours at its current rate
    "source_down",  # the database or a supervisord cannot be reached
    "host_silent",  # another host's worker stopped reporting (one worker of the fleet says so)
    "memory_restart",  # a program over `threshold` MB with its children: the worker restarts it
)
METRICS = ("cpu_percent", "mem_percent", "load_per_core", "swap_percent", "disk_percent")
SEVERITIES = ("critical", "warning")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class AlertRule:
    """One condition to watch; `for_s` is how long it must hold before the alert fires."""

    name: str
    kind: str
    enabled: bool = True
    for_s: float = 0.0
    threshold: float | None = None  # None: the kind's default (often the CRIT threshold)
    count: int = 1
    window_s: float = 600.0
    metric: str | None = None  # for kind = metric
    match: str = "*"  # a glob on the subject (program, queue, disk, job, source)
    repeat_s: float | None = None  # None: [alerts] repeat
    notify: tuple[str, ...] | None = None  # None: [alerts] notify
    severity: str = "critical"


def _metric(name: str, metric: str) -> AlertRule:
    return AlertRule(name, "metric", metric=metric, for_s=300)


DEFAULT_RULES: tuple[AlertRule, ...] = (
    AlertRule("program_fatal", "fatal"),
    AlertRule("program_exited", "exited", window_s=300, severity="warning"),
    AlertRule("crash_loop", "crash_loop", count=5, window_s=600),
    AlertRule("worker_heartbeat", "heartbeat", threshold=180),
    AlertRule("job_missed", "job_missed", for_s=120, severity="warning"),  # not one late tick
    AlertRule("job_failed", "job_failed", count=3),
    AlertRule("queue_pending", "queue_pending", for_s=300),
    AlertRule("queue_oldest", "queue_oldest", threshold=600, severity="warning"),
    AlertRule("queue_failures", "queue_failures", threshold=1.0, window_s=600, severity="warning"),
    _metric("cpu_high", "cpu_percent"),
    _metric("memory_high", "mem_percent"),
    _metric("load_high", "load_per_core"),
    _metric("swap_high", "swap_percent"),
    _metric("disk_high", "disk_percent"),
    AlertRule("disk_filling", "disk_full", threshold=24, severity="warning"),
    AlertRule("source_down", "source_down", for_s=300),
    AlertRule("host_silent", "host_silent", threshold=300),
    # off by default: it acts (superlance's memmon); enabling it needs a threshold in MB
    AlertRule("memory_restart", "memory_restart", enabled=False, severity="warning"),
)


def duration(value: Any) -> float:
    """Seconds from a number or `90s` / `5m` / `4h` / `1d` (ValueError otherwise)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e15:
        seconds = float(value)
    elif isinstance(value, str) and (
        m := re.fullmatch(r"\s*(\d{1,9}(?:\.\d+)?)\s*([smhd]?)\s*", value)
    ):
        seconds = float(m.group(1)) * _UNITS[m.group(2) or "s"]
    else:
        raise ValueError("must be a duration: seconds, or a number with s, m, h or d (5m)")
    if not 0 <= seconds <= 366 * 86400:  # NaN fails this too
        raise ValueError("must be a duration between 0 and 366 days")
    return seconds


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not abs(value) < 1e15:
        raise ValueError("must be a finite number")
    return float(value)


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000:
        raise ValueError("must be a whole number between 1 and 100000")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _name(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", value):
        raise ValueError("must be a name of letters, digits, _ . - (at most 64)")
    return value


def _choice(options: tuple[str, ...]) -> Any:
    def parse(value: Any) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return value

    return parse


def _glob(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 255 or "\x00" in value:
        raise ValueError("must be a glob such as web:* (1-255 characters)")
    return value


def _targets(value: Any) -> tuple[str, ...]:
    from console.core.alerts.targets import check_targets

    return check_targets(value)


# TOML key -> (field, parser)
_FIELDS: dict[str, tuple[str, Any]] = {
    "name": ("name", _name),
    "kind": ("kind", _choice(KINDS)),
    "enabled": ("enabled", _flag),
    "for": ("for_s", duration),
    "threshold": ("threshold", _number),
    "count": ("count", _count),
    "window": ("window_s", duration),
    "metric": ("metric", _choice(METRICS)),
    "match": ("match", _glob),
    "repeat": ("repeat_s", duration),
    "notify": ("notify", _targets),
    "severity": ("severity", _choice(SEVERITIES)),
}
assert {f for f, _ in _FIELDS.values()} == {f.name for f in fields(AlertRule)}


def _one(item: Any, where: str, defaults: dict[str, AlertRule]) -> AlertRule:
    if not isinstance(item, dict):
        raise bad("alert", where, "each [[alert]] entry must be a table")
    unknown = sorted(set(item) - set(_FIELDS))
    if unknown:
        raise bad(f"alert.{unknown[0]}", where, f"unknown key (known: {', '.join(_FIELDS)})")
    if "name" not in item:
        raise bad("alert", where, "each [[alert]] needs a name (a default rule's, or a new one)")
    values: dict[str, Any] = {}
    for key, raw in item.items():
        field, parse = _FIELDS[key]
        try:
            values[field] = parse(raw)
        except ValueError as exc:
            raise bad(f"alert.{key}", where, str(exc), raw, secret=key == "notify") from None
    label = f"alert {values['name']!r}"
    base = defaults.get(values["name"])
    if base is None and "kind" not in values:
        raise bad(label, where, f"a new rule needs a kind (one of {', '.join(KINDS)})")
    rule = replace(base, **values) if base else AlertRule(**values)
    if rule.kind == "metric" and rule.metric is None:
        raise bad(f"{label}.metric", where, f"a metric rule needs one of {', '.join(METRICS)}")
    if rule.kind == "queue_failures":
        _rate_rule(rule, label, where)
    if rule.kind == "memory_restart" and rule.enabled:
        if rule.threshold is None or not 1 <= rule.threshold <= 10_000_000:
            problem = "a memory_restart rule needs a threshold in MB (1 or more)"
            raise bad(f"{label}.threshold", where, problem, rule.threshold)
    return rule


def _rate_rule(rule: AlertRule, label: str, where: str) -> None:
    """A failure rate needs a positive rate and a window the recent samples cover."""
    from console.core.keys import RECENT_SPAN_S

    if rule.threshold is not None and not 0 < rule.threshold <= 100_000:
        problem = "must be failures per minute above 0"
        raise bad(f"{label}.threshold", where, problem, rule.threshold)
    if not 60 <= rule.window_s <= RECENT_SPAN_S - 600:
        raise bad(
            f"{label}.window",
            where,
            f"must be between 1m and {(RECENT_SPAN_S - 600) // 60}m (the samples kept)",
            rule.window_s,
        )


def rules_from_toml(items: Any, where: str) -> tuple[AlertRule, ...]:
    """The default rules, changed and added to by the `[[alert]]` tables."""
    if not isinstance(items, list):
        raise bad("alert", where, "must be an array of tables ([[alert]])")
    rules = {rule.name: rule for rule in DEFAULT_RULES}
    seen: set[str] = set()
    for item in items:
        rule = _one(item, where, rules)
        if rule.name in seen:
            raise bad("alert.name", where, f"the name {rule.name!r} is used twice")
        seen.add(rule.name)
        rules[rule.name] = rule
    return tuple(rules.values())
