"""Doctor's cache checks: reachable, and each latest entry and the heartbeat fresh and valid."""

from __future__ import annotations

from collections.abc import Iterator

from console.core.doctor_jobs import intervals
from console.core.doctor_model import FAIL, OK, Check, age_text
from console.core.errors import SourceUnavailable
from console.core.sanitize import clean
from console.core.settings import Settings
from console.core.worker_info import WorkerInfo

LATEST_KINDS = ("health", "queue", "performance")


def check_cache(settings: Settings, now: float, worker: WorkerInfo | None) -> Iterator[Check]:
    from console.core.cache import open_cache

    cache = open_cache(settings)
    where = "Redis" if settings.redis_url else f"embedded cache {settings.cache_path}"
    try:
        cache.ping()
    except SourceUnavailable as exc:
        yield Check(
            "cache", "reachable", FAIL, clean(str(exc)), "start Redis or fix STACKWATCH_REDIS_URL"
        )
        return
    collect, store = intervals(settings, worker)
    try:
        yield Check("cache", "reachable", OK, where)
        for kind in LATEST_KINDS:
            limit = 2 * (store if kind == "performance" else collect)
            yield _entry_check(kind, cache.get_latest(kind, settings.host), now, limit)
        yield _freshness(
            "cache",
            "worker heartbeat",
            cache.heartbeat(settings.host),
            now,
            2 * collect + 10,
        )
    except SourceUnavailable as exc:
        yield Check("cache", "read", FAIL, clean(str(exc)), "check the cache server")
    finally:
        cache.close()


def _entry_check(kind: str, latest, now: float, limit: float) -> Check:
    """A latest entry: missing, invalid (as the dashboard reads it, field by field) or fresh."""
    from console.core.cache.entries import parse_entry
    from console.core.parse import Invalid

    name = f"metrics:{kind}:latest"
    entry = parse_entry(kind, latest)
    if isinstance(entry, Invalid):
        return Check("cache", name, FAIL, str(entry), "the key holds foreign or damaged data")
    return _freshness("cache", name, latest, now, limit)


def _freshness(area: str, name: str, latest, now: float, limit: float) -> Check:
    fix = "start the worker: supervisorctl start stackwatch-worker (or stackwatch worker)"
    if latest.status == "missing":
        return Check(area, name, FAIL, "missing: nothing collected for this host yet", fix)
    if latest.status == "invalid":
        return Check(
            area, name, FAIL, f"invalid: {clean(latest.error)}", "the key holds foreign data"
        )
    age = latest.age(now)
    fresh = age is not None and age <= limit
    return Check(
        area,
        name,
        OK if fresh else FAIL,
        f"updated {age_text(age)}",
        "" if fresh else f"older than {limit:.0f} s: is the worker running? " + fix,
    )
