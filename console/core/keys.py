"""Every cache key name, in one place.

The three original keys are kept as they were named, as Redis hashes with one field per host,
so several hosts can share one Redis and the host switcher is one HKEYS away:

    metrics:health:latest       {host: JSON SystemHealth}
    metrics:queue:latest        {host: JSON QueueSnapshot}
    metrics:performance:latest  {host: JSON PerformanceSnapshot}
    stackwatch:heartbeat        {host: JSON {"ts": ..., "pid": ...}}

Everything else stackwatch keeps in the cache is under `stackwatch:<what>:<host>`.
"""

from __future__ import annotations

import math

LATEST_KINDS = ("health", "queue", "performance")
HEARTBEAT = "stackwatch:heartbeat"


def latest(kind: str) -> str:
    if kind not in LATEST_KINDS:
        raise ValueError(f"unknown latest kind {kind!r}")
    return f"metrics:{kind}:latest"


def requests_counter(host: str) -> str:
    """Requests counted since the last roll and not in request_samples (INCR, read-and-reset)."""
    return f"stackwatch:requests:{host}"


def errors_counter(host: str) -> str:
    """5xx responses since the last per-minute roll."""
    return f"stackwatch:errors5xx:{host}"


def latency_samples(host: str) -> str:
    """Capped list of request durations (ms) counted in requests_counter; drained by the roll."""
    return f"stackwatch:latency:{host}"


def request_samples(host: str) -> str:
    """List of {"ms": ...}, one per request not yet counted anywhere else: RPUSH alone counts.

    The roll counts and drains it; a trim moves what it removes into requests_counter.
    """
    return f"stackwatch:requests:samples:{host}"


def rps_minutes(host: str) -> str:
    """Per-interval items rolled by reset_tps_counter (capped list): store_metrics persists
    every closed window of them since the last one stored."""
    return f"stackwatch:rps:minutes:{host}"


def job_events(host: str) -> str:
    """Job completions/failures reported by instrumented huey apps, drained by store_metrics."""
    return f"stackwatch:jobs:events:{host}"


def jobs_inflight(host: str) -> str:
    """Map task_id -> {task, started}: tasks running right now."""
    return f"stackwatch:jobs:inflight:{host}"


def job_failures(host: str) -> str:
    """Recent failures waiting to be persisted into the job_failures table."""
    return f"stackwatch:jobs:failures:{host}"


def staged(key: str) -> str:
    """Where a counter or list waits between being claimed and being stored (see
    Cache.claim_items): "stackwatch:requests:web1" -> "stackwatch:staged:requests:web1"."""
    return "stackwatch:staged:" + key.removeprefix("stackwatch:")


def job_runs(host: str) -> str:
    """Map job name -> its last run {ts, duration_ms, outcome, error} (the worker's own jobs)."""
    return f"stackwatch:jobs:runs:{host}"


def job_recent(host: str) -> str:
    """Capped list of recent finished jobs (never drained): per-task stats and tiles."""
    return f"stackwatch:jobs:recent:{host}"


def periodic_last(host: str) -> str:
    """Map `queue/task` -> last run of an instrumented app's periodic task, with its next due."""
    return f"stackwatch:jobs:periodic:{host}"


RECENT_KINDS = ("health", "queue", "performance")
RECENT_SPAN_S = 5400  # the recent lists keep ~90 minutes: the dashboard's last hour and then some


def recent(kind: str, host: str) -> str:
    """Capped list of compact samples, one per collection: the dashboard's last hour.

    Written by the worker next to the latest values, so the console draws its sparklines and
    1h chart without opening the store (SQLAlchemy alone is a third of its memory).
    """
    if kind not in RECENT_KINDS:
        raise ValueError(f"unknown recent kind {kind!r}")
    return f"stackwatch:recent:{kind}:{host}"


def recent_maxlen(collect_interval: float) -> int:
    """Items kept per recent list: RECENT_SPAN_S worth at the collection interval, plus a few."""
    return math.ceil(RECENT_SPAN_S / max(1.0, float(collect_interval))) + 5


EVENTS_MAXLEN = 20_000  # events kept in the cache: hours of a crash loop while the store is down


def process_events(host: str) -> str:
    """Stream of supervisord's process events (from `stackwatch events`), moved to the store
    by the worker and read by the console for what happened in the last seconds."""
    return f"stackwatch:events:{host}"


def alert_states(host: str) -> str:
    """Map fingerprint -> the alert's state (pending, firing, recently resolved)."""
    return f"stackwatch:alerts:state:{host}"


def alert_silences(host: str) -> str:
    """Map silence id -> {match, until, reason, who, created}; expired ones are removed."""
    return f"stackwatch:alerts:silences:{host}"


ALERTS_FLEET_SENDER = "stackwatch:alerts:fleet-sender"  # the one worker saying a host is silent


def alert_outbox(host: str) -> str:
    """Map delivery id -> a message waiting for one target (bounded; retried with backoff)."""
    return f"stackwatch:alerts:outbox:{host}"


# -- the fleet: what each worker publishes, and requests to it (console.core.fleet) ----------
FLEET_SUMMARY = "stackwatch:fleet:summary"  # {host: JSON summary}: one HGETALL for the fleet view


def fleet_processes(host: str) -> str:
    """JSON: the host's supervisord process list as its worker last saw it."""
    return f"stackwatch:fleet:processes:{host}"


def fleet_watch(host: str) -> str:
    """Set (with a short TTL) by a console showing the host's programs: while it exists, the
    host's worker republishes its process list every couple of seconds."""
    return f"stackwatch:fleet:watch:{host}"


def fleet_requests(host: str) -> str:
    """List of JSON requests (actions, log reads) for the host's worker (LPUSH / BRPOP)."""
    return f"stackwatch:fleet:requests:{host}"


def fleet_reply(request_id: str) -> str:
    """List the worker pushes its one reply to (the console BLPOPs it; it expires)."""
    return f"stackwatch:fleet:reply:{request_id}"


def fleet_claim(request_id: str) -> str:
    """SET NX by whoever decides a request's fate first: the worker (runs it) or the
    console (gave up waiting): a request is never run after the console said it was not."""
    return f"stackwatch:fleet:claim:{request_id}"
