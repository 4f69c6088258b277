"""What the header and the dashboard show: one frozen model, replaced on every change.

Pure functions fold each poll's reading into the model, keeping the last good values when a
source goes down (they are then shown as stale, never dropped).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from console.core.feeds.dashboard import (
    CacheReading,
    ChartReading,
    HistoryReading,
    SupervisorReading,
)
from console.core.sanitize import clean
from console.core.settings import Settings
from console.core.sources import (
    DOWN,
    OK,
    UNKNOWN,
    SourceState,
    advance,
    database_state,
    heartbeat_state,
)

CACHE, DATABASE, WORKER = "cache", "database", "worker"


@dataclass(frozen=True)
class DashboardModel:
    """Source states in header order, and the last good readings of the selected host."""

    host: str
    states: tuple[SourceState, ...]
    cache: CacheReading | None = None  # last good reading (values kept while down)
    history: HistoryReading | None = None  # last good reading
    hosts: tuple[str, ...] = ()
    db_probe_ok: bool = True  # the console's own last read of the store
    db_probe_reason: str = ""

    def state(self, key: str) -> SourceState | None:
        return next((s for s in self.states if s.key == key), None)

    @property
    def past(self) -> bool:
        """The values are the store's at the time cursor, not the cache's latest."""
        return self.cache is not None and self.cache.as_of is not None

    @property
    def cache_down(self) -> bool:
        if self.past:
            return False  # the past comes from the store: the live cache does not matter
        state = self.state(CACHE)
        return state is not None and state.status == DOWN

    def panel_note(self, what: str) -> str:
        """What a panel says beside its age: the cache is down, or its entry is invalid; at
        the time cursor, which stored rows answered."""
        if self.past and self.cache is not None:
            return self.cache.notes.get(what, self.cache.note)
        if self.cache_down:
            return "cache down"
        found = self.cache.invalid_for(what) if self.cache else None
        return str(found) if found else ""


def supervisor_key(name: str) -> str:
    return f"supervisor:{name}"


def initial_model(settings: Settings, host: str) -> DashboardModel:
    """Every source known from the settings, not checked yet."""
    states = [SourceState(CACHE, "cache"), SourceState(DATABASE, "db")]
    states += [SourceState(supervisor_key(e.name), f"sv {e.name}") for e in settings.supervisors]
    states.append(SourceState(WORKER, "worker"))
    return DashboardModel(host=clean(host, 255), states=tuple(states))


def _with_state(model: DashboardModel, new: SourceState) -> DashboardModel:
    states = tuple(new if s.key == new.key else s for s in model.states)
    return replace(model, states=states)


def _merge_hosts(model: DashboardModel, hosts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(model.hosts) | set(hosts) | {model.host}))


def fold_cache(
    model: DashboardModel, reading: CacheReading, collect_interval: float
) -> DashboardModel:
    """A cache poll: the cache state, the worker heartbeat, and the values when readable."""
    if reading.host != model.host:
        return model  # answer for a host the user has switched away from
    now = reading.polled_at
    if not reading.ok:
        state = advance(model.state(CACHE), CACHE, "cache", DOWN, reading.reason, now)
        return _with_state(model, state)
    reason = "; ".join(reading.problems)
    model = _with_state(model, advance(model.state(CACHE), CACHE, "cache", OK, reason, now))
    previous = model.state(WORKER)
    same_beat = model.cache is not None and model.cache.heartbeat_ts == reading.heartbeat_ts
    if not (same_beat and previous is not None and previous.status != UNKNOWN):
        # A new beat (or the first): otherwise the 1 Hz tick ages it (`age_worker`), so a
        # poll that brings nothing new repaints nothing.
        worker = heartbeat_state(previous, reading.heartbeat_ts, now, collect_interval)
        model = _with_state(model, worker)
    model = replace(model, cache=reading, hosts=_merge_hosts(model, reading.hosts))
    database = model.state(DATABASE)
    if database is not None and database.status != UNKNOWN and database.checked_at is not None:
        model = _fold_database(model, model.db_probe_ok, model.db_probe_reason, now)
    return model


def age_worker(model: DashboardModel, now: float, collect_interval: float) -> DashboardModel:
    """The worker chip's age at `now` (same model when its words and status are unchanged)."""
    cache, worker = model.state(CACHE), model.state(WORKER)
    if model.cache is None or worker is None or cache is None or cache.status != OK:
        return model  # nothing read yet, or the cache is down: keep what was last known
    new = heartbeat_state(worker, model.cache.heartbeat_ts, now, collect_interval)
    if (new.status, new.reason) == (worker.status, worker.reason):
        return model
    return _with_state(model, new)


def fold_history(model: DashboardModel, reading: HistoryReading) -> DashboardModel:
    """A store poll: the database state and the sparkline series."""
    if reading.host != model.host:
        return model
    if reading.from_store:
        model = _fold_database(model, reading.ok, reading.reason, reading.polled_at)
    elif reading.db_ok is not None:
        model = _fold_database(model, reading.db_ok, reading.db_reason, reading.polled_at)
    if not reading.ok:
        return model
    return replace(model, history=reading, hosts=_merge_hosts(model, reading.hosts))


def fold_chart(model: DashboardModel, reading: ChartReading) -> DashboardModel:
    """A chart read: it tells the database state when it came from the store."""
    if reading.host != model.host or not reading.from_store:
        return model
    return _fold_database(model, reading.ok, reading.reason, reading.polled_at)


def _fold_database(model: DashboardModel, ok: bool, reason: str, now: float) -> DashboardModel:
    """The db chip shows the last store read, or the light probe made with each history poll
    while the dashboard reads its last hour from the cache's recent lists; and DOWN when the
    worker says it cannot write (down or hung), which its heartbeat carries."""
    worker = model.cache.worker_store if model.cache is not None else None
    state = database_state(model.state(DATABASE), ok, reason, worker, now)
    model = replace(model, db_probe_ok=ok, db_probe_reason=reason)
    return _with_state(model, state)


def fold_supervisor(model: DashboardModel, reading: SupervisorReading) -> DashboardModel:
    """A supervisord reachability check."""
    key = supervisor_key(reading.name)
    previous = model.state(key)
    if previous is None:
        return model
    status = OK if reading.ok else DOWN
    reason = "" if reading.ok else reading.reason
    return _with_state(
        model, advance(previous, key, previous.label, status, reason, reading.polled_at)
    )


def mark_hung(model: DashboardModel, key: str, seconds: float, now: float) -> DashboardModel:
    """A poll has not returned for `seconds`: the source is down until it answers."""
    return mark_down(model, key, f"no answer for {int(seconds)} s", now)


def mark_down(model: DashboardModel, key: str, reason: str, now: float) -> DashboardModel:
    """A source is down for `reason` (a hung or failed poll) until it answers again."""
    previous = model.state(key)
    if previous is None:
        return model
    return _with_state(model, advance(previous, key, previous.label, DOWN, reason, now))


def switch_host(model: DashboardModel, host: str) -> DashboardModel:
    """Another host: its values are unknown until the next polls answer."""
    worker = SourceState(WORKER, "worker")
    return replace(
        _with_state(model, worker), host=host, cache=None, history=None, hosts=model.hosts
    )
