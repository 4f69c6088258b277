"""`stackwatch doctor`: every part of the stack checked, each result with its one-line fix.

The original setup's "verification commands" and "troubleshooting" sections as code. Checks
are plain functions returning Check dataclasses; nothing here prints.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from console.core.doctor_jobs import check_jobs, intervals, published_by_worker
from console.core.doctor_model import FAIL, OK, WARN, Check, age_text
from console.core.errors import SchemaOutOfDate, SourceUnavailable
from console.core.sanitize import clean
from console.core.settings import Settings
from console.core.worker_info import WorkerInfo

if TYPE_CHECKING:
    from console.core.supervisor.client import SupervisorClient

LATEST_KINDS = ("health", "queue", "performance")
_age = age_text


# --- supervisord ----------------------------------------------------------------------------


def check_supervisors(settings: Settings) -> Iterator[Check]:
    from console.core.supervisor.client import SupervisorClient
    from console.core.supervisor.errors import SupervisorFault

    if not settings.supervisors:
        yield Check(
            "supervisord",
            "endpoints",
            WARN,
            "no supervisord configured",
            "set STACKWATCH_SUPERVISOR_URL=unix:///run/supervisor.sock (or [[supervisor]])",
        )
        return
    for endpoint in settings.supervisors:
        client = SupervisorClient(endpoint, timeout=settings.rpc_timeout, read_only=True)
        label = f"supervisord {endpoint.name}"
        try:
            state = client.state()
            processes = client.processes()
            config = client.config_info()
        except (SourceUnavailable, SupervisorFault) as exc:
            yield Check(
                "supervisord",
                label,
                FAIL,
                clean(str(exc)),
                "start supervisord, or fix the URL / socket permissions",
            )
            continue
        finally:
            client.close()
        yield Check(
            "supervisord",
            label,
            OK if state == "RUNNING" else FAIL,
            f"{state}, {len(processes)} programs ({client.shown_url})",
            "" if state == "RUNNING" else "wait for supervisord to finish starting",
        )
        yield _check_exposure(label, client)
        yield from _check_worker_program(label, processes, config)
        yield _check_listener(endpoint.name, processes)


def _check_listener(endpoint: str, processes: list) -> Check:
    from console.core.events.presence import INSTALL_FIX, LISTENER, listener_state

    state = listener_state(processes, endpoint)
    name = f"{endpoint}: event listener"
    if state is None:
        why = f"no [eventlistener:{LISTENER}]: restarts are counted from polls, once a minute"
        return Check("events", name, WARN, why, INSTALL_FIX)
    if state != "RUNNING":
        why = f"{LISTENER} is {state}: restarts are counted from polls, once a minute"
        fix = f"supervisorctl start {LISTENER}:*, and read its stderr log"
        return Check("events", name, WARN, why, fix)
    return Check("events", name, OK, f"{LISTENER} RUNNING: every state change is recorded")


def _check_exposure(label: str, client: SupervisorClient) -> Check:
    """FAIL when the XML-RPC is reachable off this machine or without a password."""
    from console.core.supervisor.exposure import FIX, find_exposure

    try:
        problems = find_exposure(client)
    finally:
        client.close()
    if problems:
        return Check("supervisord", f"{label} exposure", FAIL, clean("; ".join(problems)), FIX)
    how = "unix socket" if client.url.startswith("unix://") else "loopback with a password"
    return Check(
        "supervisord", f"{label} exposure", OK, f"XML-RPC over the {how}; no open inet server found"
    )


def _is_worker(name: str, command: str) -> bool:
    return ("stackwatch" in name and "worker" in name) or any(
        marker in command for marker in ("stackwatch worker", "console worker")
    )


def _check_worker_program(label: str, processes: list, config: dict) -> Iterator[Check]:
    workers = [
        p
        for p in processes
        if _is_worker(p.name, str(config.get(p.full_name, {}).get("command", "")))
    ]
    if not workers:
        yield Check(
            "worker",
            f"{label}: worker program",
            WARN,
            "no stackwatch worker program found here",
            "copy supervisor/conf.d/stackwatch-worker.conf and run supervisorctl update",
        )
        return
    for proc in workers:
        name = clean(proc.full_name)
        running = proc.statename == "RUNNING"
        yield Check(
            "worker",
            f"worker program {name}",
            OK if running else FAIL,
            clean(proc.statename + (f": {proc.spawnerr}" if proc.spawnerr else "")),
            "" if running else f"supervisorctl start {name}",
        )
        yield from _check_worker_config(name, config.get(proc.full_name, {}))


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _check_worker_config(name: str, conf: dict) -> Iterator[Check]:
    if "stopsignal" in conf:
        good = conf["stopsignal"] == int(signal.SIGINT)
        shown = _signal_name(conf["stopsignal"])
        yield Check(
            "worker",
            f"{name} stopsignal",
            OK if good else FAIL,
            shown,
            "" if good else "set stopsignal=INT so running jobs finish on stop",
        )
    if "stdout_logfile_maxbytes" in conf:
        rotated = conf["stdout_logfile_maxbytes"] and conf.get("stderr_logfile_maxbytes", 1)
        yield Check(
            "worker",
            f"{name} log rotation",
            OK if rotated else WARN,
            "rotated" if rotated else "logs grow without limit",
            "" if rotated else "set stdout_logfile_maxbytes=10MB and *_backups=7",
        )
    if "killasgroup" in conf:
        ok = bool(conf["killasgroup"])
        yield Check(
            "worker",
            f"{name} killasgroup",
            OK if ok else WARN,
            str(ok).lower(),
            "" if ok else "set stopasgroup=true and killasgroup=true",
        )


# --- cache ----------------------------------------------------------------------------------


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
        f"updated {_age(age)}",
        "" if fresh else f"older than {limit:.0f} s: is the worker running? " + fix,
    )


# --- database -------------------------------------------------------------------------------


def check_database(settings: Settings, now: float, worker: WorkerInfo | None) -> Iterator[Check]:
    from console.core.store import queries
    from console.core.store.engine import check_schema, make_engine
    from console.core.store.ledger import last_runs

    collect, store = intervals(settings, worker)
    engine = make_engine(settings.resolved_database_url)
    try:
        try:
            check_schema(engine)
        except SchemaOutOfDate as exc:
            yield Check("database", "schema", FAIL, clean(str(exc)), "stackwatch db upgrade")
            return
        yield Check("database", "schema", OK, "current")
        for table, limit in (
            ("system_health_metrics", 2 * collect),
            ("queue_metrics", 2 * collect),
            ("performance_metrics", 2 * store),
        ):
            count, newest = queries.latest_bucket(engine, table)
            age = None if newest is None else now - newest
            fresh = age is not None and age <= limit + 60  # buckets start up to a minute early
            yield Check(
                "database",
                table,
                OK if fresh else WARN,
                f"{count} rows, newest {_age(age)}",
                "" if fresh else "no recent rows: check the worker's log",
            )
        yield from check_jobs(last_runs(engine, settings.host), worker, now)
    except SourceUnavailable as exc:
        yield Check("database", "reachable", FAIL, clean(str(exc)), _database_fix(str(exc)))
    finally:
        engine.dispose()


def _database_fix(reason: str) -> str:
    if "not a database" in reason or "malformed" in reason:
        return "the SQLite file is damaged: move it aside, then `stackwatch db upgrade`"
    return "start the database or fix STACKWATCH_DATABASE_URL"


# --- logs -----------------------------------------------------------------------------------


def check_logs(settings: Settings) -> Iterator[Check]:
    for spec in settings.log_files:
        readable = os.access(spec.path, os.R_OK)
        yield Check(
            "logs",
            clean(spec.name),
            OK if readable else WARN,
            clean(spec.path) + ("" if readable else ": not readable"),
            "" if readable else "check the path and this user's permissions",
        )


def check_environment(env: Mapping[str, str]) -> Iterator[Check]:
    """A STACKWATCH_* variable that no setting reads is a typo until proven otherwise."""
    from console.core.settings_report import unknown_variables

    for var, near in unknown_variables(env):
        fix = f"did you mean {near}?" if near else "see README's Settings for every variable"
        yield Check("settings", clean(var, 80), WARN, "not a stackwatch variable: ignored", fix)


def run_checks(settings: Settings, now: float | None = None) -> list[Check]:
    """Every check for `settings.host` (narrow the settings with `Settings.for_host` to look
    at another host); staleness is judged by what that host's worker published."""
    now = time.time() if now is None else now
    worker = published_by_worker(settings)
    sections: list[Callable[[], Iterator[Check]]] = [
        lambda: check_environment(os.environ),
        lambda: check_supervisors(settings),
        lambda: check_cache(settings, now, worker),
        lambda: check_database(settings, now, worker),
        lambda: check_logs(settings),
    ]
    return [check for section in sections for check in section()]
