"""evaluate_alerts: the alert rules over what the worker collects, every `alerts_interval`.

States and silences live in the cache, history in the store; each message is queued in the
outbox for the sender thread (jobs.alert_sender), so a slow or dead target never holds a job.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from console.core.alerts import kept, outbox
from console.core.alerts.cache_reads import cached_programs, cached_transitions
from console.core.alerts.evaluate import evaluate
from console.core.alerts.memmon import program_memory
from console.core.alerts.model import SourceReading
from console.core.alerts.readings import StoreReadings, event_window, read_all, read_store
from console.core.errors import SourceUnavailable, StackwatchError
from console.core.events.timeline import stream_tail
from console.core.fleet.published import Published
from console.core.sanitize import first_line
from console.core.store.alert_history import HistoryEntry
from jobs.alert_history import entry
from jobs.alert_peers import peers
from jobs.collection import Outcome
from jobs.context import JobContext
from jobs.memmon import restart_over_limit
from jobs.schedule import periodic
from jobs.storegate import OK as STORE_OK

log = logging.getLogger("stackwatch.alerts")
_clients: dict[Any, list] = {}


def _local_clients(ctx: JobContext) -> list:
    from console.core.supervisor.poll import make_clients

    key = (ctx.settings.supervisors, ctx.settings.rpc_timeout, ctx.settings.read_only)
    clients = _clients.get(key)
    if clients is None:
        clients = _clients[key] = make_clients(ctx.settings)
    return clients


def _supervisords(ctx: JobContext) -> list[SourceReading]:
    """Each configured supervisord: does it answer (one light call)."""
    found = []
    for client in _local_clients(ctx):
        name = f"supervisord {client.endpoint.name}"
        try:
            client.state()
            found.append(SourceReading(name, True))
        except StackwatchError as exc:
            found.append(SourceReading(name, False, first_line(str(exc), 200)))
    return found


def _published(ctx: JobContext) -> Published | None:
    """This host's process list as its worker last published it (None: none, or unreadable)."""
    from console.core.feeds.processes_remote import read_published

    if ctx.redis is None:
        return None
    try:
        found = read_published(ctx.redis, ctx.host)
    except SourceUnavailable:
        return None
    return found if isinstance(found, Published) else None


def _from_cache(
    published: Published | None, events: list, window_s: float, now: float, error: str
) -> StoreReadings:
    """Program states and transitions from the published list and the event stream."""
    return StoreReadings(
        programs=cached_programs(published, events, now),
        transitions=cached_transitions(events, window_s, now),
        error=error,
    )


@periodic(every="alerts_interval")
def evaluate_alerts(ctx: JobContext, now: float | None = None) -> Outcome:
    """Read, evaluate, keep the new states, queue the messages, record the history."""
    now = ctx.clock() if now is None else now
    settings, host, cache = ctx.settings, ctx.host, ctx.cache
    rules = settings.alert_rules
    if not any(rule.enabled for rule in rules):
        return Outcome(wrote=["alerts: every rule is off"])
    events = stream_tail(cache, host)
    gate = ctx.store.state
    try:
        if gate.status != STORE_OK:  # the collection probes it; alerts do not pile on
            raise SourceUnavailable(f"database {gate.status}: {gate.reason}")
        store = ctx.store.run(
            lambda: read_store(ctx.engine, host, events, event_window(rules), now)
        )
    except SourceUnavailable as exc:
        store = StoreReadings(error=str(exc))
    memmon = any(r.enabled and r.kind == "memory_restart" for r in rules)
    published = _published(ctx) if store.error or memmon else None  # one GET, when needed
    if store.error:  # the program rules read the cache instead: they matter most in an outage
        store = _from_cache(published, events, event_window(rules), now, store.error)
    readings = replace(read_all(settings, cache, store, now, _supervisords(ctx)), peers=peers(ctx))
    if memmon:
        readings = replace(readings, program_memory=program_memory(published, now))
    before = kept.load_states(cache, host)
    ended = kept.drop_expired(cache, host, now)
    silences = kept.load_silences(cache, host, now)
    result = evaluate(rules, readings, before, silences, now, settings.alerts_repeat)
    kept.save_states(cache, host, before, result.states)
    history = [entry(event, state, now) for event, state in result.history]
    history += [
        HistoryEntry(now, s.match, "", "", "unsilenced", f"silence ended: {s.reason}", detail=s.who)
        for s in ended
    ]
    kinds = {rule.name: rule.kind for rule in rules}
    if memmon:
        fired = [
            state
            for event, state in result.history
            if event in ("firing", "silenced") and kinds.get(state.rule) == "memory_restart"
        ]
        if fired:
            memory = readings.program_memory or ()
            history += restart_over_limit(ctx, fired, memory, _local_clients(ctx), now)
    for note in result.notifications:
        targets = outbox.targets_of(note, settings.alerts_notify)
        kind = kinds.get(note.rule, "")
        for lost in outbox.put(cache, host, note, kind, targets, now, settings.alerts_outbox):
            history.append(dropped(lost, now))
    ctx.alert_history.add(history)
    if result.notifications:
        ctx.wake_sender.set()
    firing = sum(1 for s in result.states.values() if s.status == "firing")
    return Outcome(
        wrote=[f"alerts: {firing} firing, {len(result.notifications)} messages queued"],
        errors=[f"database: {store.error}"] if store.error else [],
    )


def dropped(delivery: outbox.Delivery, now: float) -> HistoryEntry:
    note = delivery.notification
    return HistoryEntry(
        now,
        note.fingerprint,
        note.rule,
        note.subject,
        "dropped",
        note.summary,
        target=delivery.shown,
        detail=f"the outbox is full; {delivery.attempts} tries: "
        f"{delivery.last_error or 'not tried'}",
    )
