"""Alert states and silences as kept in the cache (maps per host), parsed back at this one
boundary: an entry that is not ours is skipped, never an exception further in."""

from __future__ import annotations

from collections.abc import Mapping

from console.core import keys
from console.core.alerts.model import AlertState, state_from_item
from console.core.alerts.silences import Silence, silence_from_item
from console.core.cache import Cache


def load_states(cache: Cache, host: str) -> dict[str, AlertState]:
    found = {}
    for item in cache.map_all(keys.alert_states(host)).values():
        state = state_from_item(item)
        if state is not None:
            found[state.fingerprint] = state
    return found


def save_states(
    cache: Cache, host: str, before: Mapping[str, AlertState], after: Mapping[str, AlertState]
) -> None:
    """Write what changed, delete what is gone."""
    name = keys.alert_states(host)
    for fp, state in after.items():
        if before.get(fp) != state:
            cache.map_set(name, fp, state.to_item())
    for fp in set(before) - set(after):
        cache.map_del(name, fp)


def load_silences(cache: Cache, host: str, now: float | None = None) -> list[Silence]:
    """The silences (only the active ones when `now` is given), soonest to end first."""
    found = [
        s
        for item in cache.map_all(keys.alert_silences(host)).values()
        if (s := silence_from_item(item)) is not None
    ]
    if now is not None:
        found = [s for s in found if s.active(now)]
    return sorted(found, key=lambda s: s.until)


def add_silence(cache: Cache, host: str, silence: Silence) -> None:
    cache.map_set(keys.alert_silences(host), silence.id, silence.to_item())


def drop_expired(cache: Cache, host: str, now: float) -> list[Silence]:
    """Remove the silences that ended; returns them (for the history)."""
    ended = [s for s in load_silences(cache, host) if not s.active(now)]
    for silence in ended:
        cache.map_del(keys.alert_silences(host), silence.id)
    return ended
