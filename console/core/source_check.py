"""A light look at the cache and the store for `stackwatch status`: does each answer, and is
any latest entry of the host invalid. No SQLAlchemy (the store is probed with the standard
library or psycopg), so status stays as quick as supervisorctl when both answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.core.errors import SourceUnavailable
from console.core.parse import Invalid
from console.core.sanitize import first_line
from console.core.settings import Settings


@dataclass(frozen=True)
class SourcesCheck:
    cache_ok: bool
    cache_reason: str
    db_ok: bool
    db_reason: str
    invalid: tuple[Invalid, ...] = ()

    def lines(self) -> list[str]:
        """`cache ok · db DOWN — file is not a database`, then one line per invalid entry."""
        cache = "cache ok" if self.cache_ok else f"cache DOWN — {self.cache_reason}"
        db = "db ok" if self.db_ok else f"db DOWN — {self.db_reason}"
        return [f"{cache} · {db}", *(f"{bad.what}: {bad}" for bad in self.invalid)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "cache": {"ok": self.cache_ok, "reason": self.cache_reason},
            "database": {"ok": self.db_ok, "reason": self.db_reason},
            "invalid": [vars(bad) for bad in self.invalid],
        }


def _cache(settings: Settings) -> tuple[bool, str, tuple[Invalid, ...]]:
    from console.core.cache import open_cache
    from console.core.cache.entries import ENTRIES, read_entry, read_heartbeat

    cache = open_cache(settings)
    try:
        found = [read_entry(cache, kind, settings.host) for kind in ENTRIES]
        found.append(read_heartbeat(cache, settings.host))
    except SourceUnavailable as exc:
        return False, first_line(str(exc)) or "unreachable", ()
    finally:
        try:
            cache.close()
        except SourceUnavailable:
            pass  # closing a dead connection: nothing left to release
    return True, "", tuple(v for v in found if isinstance(v, Invalid))


def check_sources(settings: Settings) -> SourcesCheck:
    """The cache (and the host's entries in it) and the store, each ok or why not."""
    from console.core.store.probe import probe_store

    cache_ok, cache_reason, invalid = _cache(settings)
    db_ok, db_reason = probe_store(settings.resolved_database_url, min(settings.rpc_timeout, 3.0))
    return SourcesCheck(cache_ok, cache_reason, db_ok, db_reason, invalid)
