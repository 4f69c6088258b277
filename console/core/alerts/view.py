"""What the console and `stackwatch alerts` show: the alerts of a host as the worker last
evaluated them, its silences, and whether the evaluation is recent enough to trust. One
formatter for both."""

from __future__ import annotations

from dataclasses import dataclass

from console.core import keys
from console.core.alerts import kept
from console.core.alerts.model import FIRING, PENDING, RESOLVED, AlertState
from console.core.alerts.silences import Silence
from console.core.cache import Cache
from console.core.formatting import span

_ORDER = {FIRING: 0, PENDING: 1, RESOLVED: 2}


@dataclass(frozen=True)
class AlertsView:
    host: str
    states: tuple[AlertState, ...] = ()  # firing, then pending, then resolved; newest first
    silences: tuple[Silence, ...] = ()  # active ones
    evaluated: float | None = None  # when the worker last evaluated the rules
    waiting: int = 0  # messages in the outbox (a target down)
    error: str | None = None  # the cache could not be read

    def of(self, status: str) -> list[AlertState]:
        return [s for s in self.states if s.status == status]

    @property
    def firing(self) -> int:
        """Firing and not silenced: what still needs someone."""
        return sum(1 for s in self.states if s.status == FIRING and not s.silenced)

    @property
    def silenced(self) -> int:
        return sum(1 for s in self.states if s.status == FIRING and s.silenced)

    def stale(self, now: float, interval: float) -> str | None:
        """Why these alerts cannot be trusted (no evaluation lately), or None."""
        if self.error:
            return self.error
        if self.evaluated is None:
            return "the worker has not evaluated the alert rules yet (is it running?)"
        age = now - self.evaluated
        if age > 3 * interval + 60:
            return f"the worker last evaluated the alert rules {span(age)} ago"
        return None

    def silence_of(self, state: AlertState, now: float) -> Silence | None:
        return next(
            (s for s in self.silences if s.active(now) and s.covers(state.fingerprint, state.rule)),
            None,
        )


def read_view(cache: Cache, host: str, now: float) -> AlertsView:
    """Raises SourceUnavailable when the cache is down."""
    states = sorted(
        kept.load_states(cache, host).values(),
        key=lambda s: (_ORDER[s.status], -(s.resolved_at or s.fired_at or s.since)),
    )
    run = cache.map_all(keys.job_runs(host)).get("evaluate_alerts") or {}
    started = run.get("started")
    evaluated = float(started) if isinstance(started, int | float) else None
    return AlertsView(
        host=host,
        states=tuple(states),
        silences=tuple(kept.load_silences(cache, host, now)),
        evaluated=evaluated,
        waiting=len(cache.map_all(keys.alert_outbox(host))),
    )


def status_word(state: AlertState) -> str:
    return state.status.upper() + (" (silenced)" if state.silenced else "")


def since_text(state: AlertState, now: float) -> str:
    if state.status == RESOLVED and state.resolved_at is not None:
        return f"resolved {span(now - state.resolved_at, precise=False)} ago"
    return f"for {span(now - state.since)}"


def value_text(state: AlertState) -> str:
    if state.value is None and state.threshold is None:
        return ""
    value = "—" if state.value is None else f"{state.value:g}"
    limit = "—" if state.threshold is None else f"{state.threshold:g}"
    return f"{value} / {limit}"


def line(state: AlertState, now: float) -> str:
    """`FIRING  program_fatal  web:web_0  for 2m05s  web:web_0 is FATAL ...` (plain text)."""
    parts = [status_word(state), state.rule, state.subject, since_text(state, now)]
    if value := value_text(state):
        parts.append(value)
    parts.append(state.summary)
    return "  ".join(parts)
