"""The evaluator: a pure function of (rules, readings, previous states, silences, now) to the
new states, the messages to send and the history to keep.

An alert is pending while its condition holds for less than the rule's `for`, then firing
(one message), repeats every `repeat` while firing, and is resolved (one message) when its
condition no longer holds. Rules that cannot tell (their readings are missing) keep their
alerts as they were: no data is not "resolved". A silenced alert changes state as usual but
sends nothing; once the silence ends, a still-firing alert is sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from console.core.alerts.conditions import Finding, findings
from console.core.alerts.model import (
    FIRING,
    PENDING,
    RESOLVED,
    AlertState,
    Notification,
    Readings,
    fingerprint,
)
from console.core.alerts.rules import AlertRule
from console.core.alerts.silences import Silence, silenced

KEEP_RESOLVED_S = 86400.0  # resolved alerts stay listed (the console's "recent") this long


@dataclass(frozen=True)
class Evaluation:
    states: dict[str, AlertState]
    notifications: list[Notification] = field(default_factory=list)
    history: list[tuple[str, AlertState]] = field(default_factory=list)  # (event, state)


def evaluate(
    rules: Sequence[AlertRule],
    readings: Readings,
    states: Mapping[str, AlertState],
    silences: Sequence[Silence],
    now: float,
    repeat_s: float,
) -> Evaluation:
    """One evaluation; `states` is not changed (the result holds the new ones)."""
    out = Evaluation(states={})
    by_rule: dict[str, list[AlertState]] = {}
    for state in states.values():
        by_rule.setdefault(state.rule, []).append(state)
    quiet = tuple(silences)
    for rule in rules:
        if not rule.enabled:
            continue
        previous = {s.fingerprint: s for s in by_rule.get(rule.name, [])}
        found = findings(rule, readings, now)
        if found is None:  # cannot tell: everything stays as it was
            out.states.update(previous)
            continue
        step = _Step(rule, readings.host, now, repeat_s, quiet, out)
        seen = {step.holds(f, previous) for f in found}
        for fp, state in previous.items():
            if fp not in seen:
                step.gone(state)
    return out


@dataclass
class _Step:
    """One rule's share of an evaluation."""

    rule: AlertRule
    host: str
    now: float
    repeat_s: float
    silences: tuple[Silence, ...]
    out: Evaluation

    def holds(self, finding: Finding, previous: Mapping[str, AlertState]) -> str:
        """The condition holds for `finding`: pending, firing, or firing again."""
        fp = fingerprint(self.host, self.rule.name, finding.subject)
        prev = previous.get(fp)
        quiet = silenced(self.silences, fp, self.rule.name, self.now)
        if prev is None or prev.status == RESOLVED:
            prev = AlertState(fp, self.rule.name, finding.subject, PENDING, since=self.now)
        state = replace(
            prev,
            summary=finding.summary,
            value=finding.value,
            threshold=finding.threshold,
            severity=self.rule.severity,
            silenced=quiet,
        )
        if state.status == PENDING and self.now - state.since >= self.rule.for_s:
            state = replace(state, status=FIRING, fired_at=self.now)
            self.out.history.append(("silenced" if quiet else "firing", state))
        if state.status == FIRING and not quiet:
            every = self.rule.repeat_s if self.rule.repeat_s is not None else self.repeat_s
            if state.last_sent is None or self.now - state.last_sent >= every:
                event = "firing" if state.last_sent is None else "repeat"
                state = replace(state, last_sent=self.now)
                self._notify(event, state)
        self.out.states[fp] = state
        return fp

    def gone(self, state: AlertState) -> None:
        """The condition no longer holds: pending is forgotten, firing is resolved."""
        if state.status == PENDING:
            return
        if state.status == RESOLVED:
            if self.now - (state.resolved_at or state.since) < KEEP_RESOLVED_S:
                self.out.states[state.fingerprint] = state
            return
        quiet = silenced(self.silences, state.fingerprint, self.rule.name, self.now)
        resolved = replace(state, status=RESOLVED, resolved_at=self.now, silenced=quiet)
        self.out.states[state.fingerprint] = resolved
        self.out.history.append(("resolved", resolved))
        if state.last_sent is not None and not quiet:
            self._notify("resolved", resolved)

    def _notify(self, event: str, state: AlertState) -> None:
        self.out.notifications.append(
            Notification(
                id=f"{state.fingerprint}:{event}:{int(self.now * 1000)}",
                event=event,
                host=self.host,
                rule=state.rule,
                subject=state.subject,
                summary=state.summary,
                since=state.since,
                ts=self.now,
                severity=state.severity,
                value=state.value,
                threshold=state.threshold,
                fingerprint=state.fingerprint,
                targets=self.rule.notify,
            )
        )


def firing(states: Mapping[str, AlertState]) -> list[AlertState]:
    """The firing alerts, most recent first."""
    found = [s for s in states.values() if s.status == FIRING]
    return sorted(found, key=lambda s: s.fired_at or s.since, reverse=True)
