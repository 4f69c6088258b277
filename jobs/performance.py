"""reset_tps_counter (every collection) and store_metrics (every store interval).

reset_tps_counter claims the request counter, latency samples and job events into staged keys
and turns them into one per-interval item, pushed in the same atomic step that clears the
staged keys: a worker killed half-way leaves the counts staged, and the next roll counts
them. store_metrics persists every closed window since the last one stored (the watermark is
the newest row itself), in one transaction, so an outage of the database or of the worker
delays rows but loses none and doubles none. Both publish the latest performance value (the
trailing store window) to the cache.
"""

from __future__ import annotations

import math
from dataclasses import replace

from console.core import keys, recent
from console.core.metrics import PerformanceSnapshot, to_payload
from console.core.store import ledger, writes
from jobs import sketch
from jobs.collection import Outcome
from jobs.context import JobContext
from jobs.roll_item import fitting
from jobs.schedule import RETRIES, periodic

CACHE_SPAN_S = 26 * 3600  # per-interval items kept: a day of outage, and then some
ITEMS_MAX = 10_000  # ... but never more than this many (~30 MB) at very short intervals
MAX_LATENCY_STAGED = 5000  # latencies only shape percentiles; counts never come from them
MAX_FAILURES_STAGED = 5000  # failures waiting for the database (the reporter keeps 1000)


def items_kept(collect_interval: float) -> int:
    """How many per-interval items the cache keeps: what a late store can still persist."""
    return min(ITEMS_MAX, math.ceil(CACHE_SPAN_S / max(1.0, float(collect_interval))) + 5)


def _numbers(items: list[dict], key: str) -> list[float]:
    return [v for i in items if isinstance(v := i.get(key), int | float)]


def _claim(ctx: JobContext) -> tuple[dict, list[str]]:
    """Move what was recorded since the last roll into staged keys; (material, staged keys)."""
    cache, host = ctx.cache, ctx.host
    staged = {}
    for name, key in (
        ("requests", keys.requests_counter(host)),
        ("errors", keys.errors_counter(host)),
    ):
        staged[name] = (key, cache.claim_count(key, keys.staged(key)))
    # A request sample is one request; the reporter's trim moves samples into the counter
    # atomically, so each request is in exactly one of the two, claimed now or next time.
    for name, key, cap in (
        ("counted", keys.request_samples(host), 0),
        ("latency", keys.latency_samples(host), MAX_LATENCY_STAGED),
        ("events", keys.job_events(host), 0),
    ):
        staged[name] = (key, cache.claim_items(key, keys.staged(key), cap))
    material = {name: value for name, (_key, value) in staged.items()}
    return material, [keys.staged(key) for key, _value in staged.values()]


@periodic(every="collect_interval")
def reset_tps_counter(ctx: JobContext, now: float | None = None) -> dict:
    """Roll the counters of the interval just ended into one item; returns the item."""
    now = ctx.clock() if now is None else now
    cache, host = ctx.cache, ctx.host
    got, staged = _claim(ctx)
    requests = got["requests"] + len(got["counted"])
    latencies = _numbers(got["latency"] + got["counted"], "ms")
    events = got["events"]
    previous = fitting(cache.items(keys.rps_minutes(host), 1))
    interval = float(ctx.settings.collect_interval)
    elapsed = now - previous[0]["ts"] if previous else interval
    elapsed = min(max(elapsed, 1.0), 10 * interval)  # a long outage must not flatten the rate
    item = {
        "ts": now,
        "window_s": elapsed,
        "requests": requests,
        "errors_5xx": got["errors"],
        "rps": round(requests / elapsed, 3),
        "latency": sketch.make(latencies),
        "jobs": sum(1 for e in events if e.get("outcome") == "ok"),
        "jobs_failed": sum(1 for e in events if e.get("outcome") == "error"),
        "runtime": sketch.make(_numbers(events, "runtime_ms")),
        "wait": sketch.make(_numbers(events, "wait_ms")),
    }
    # One atomic step: the item is in the list and the staged counts are gone, or neither.
    cache.push(keys.rps_minutes(host), item, items_kept(interval), clear=staged)
    sample = {
        "rps_avg": item["rps"],
        "latency_p95_ms": sketch.quantile([item["latency"]], 0.95),
        "jobs_processed": item["jobs"] + item["jobs_failed"],
        "jobs_failed": item["jobs_failed"],
        "requests": requests,
    }
    recent.push(cache, "performance", host, recent.perf_sample(now, sample), interval)
    publish_latest(ctx, now)
    return item


def items_since(ctx: JobContext, start: float, now: float) -> list[dict]:
    """The per-interval items from `start` on, oldest first, read from the newest end.

    Reading every kept item (~3 KB of JSON each) every collection to use the last
    handful cost ~6 MB of parsing per call; this reads a few, and more only when needed.
    """
    interval = max(1, ctx.settings.collect_interval)
    kept = items_kept(interval)
    limit = 2 * math.ceil(max(0.0, now - start) / interval + 1) + 4
    while True:
        read = ctx.cache.items(keys.rps_minutes(ctx.host), min(limit, kept))
        items = fitting(read)  # a foreign item is left out, never a failed collection
        oldest = items[-1]["ts"] if items else -1.0
        if len(read) < limit or oldest < start or limit >= kept:
            return [i for i in reversed(items) if i["ts"] >= start]
        limit *= 2


def publish_latest(ctx: JobContext, now: float) -> PerformanceSnapshot:
    """The latest performance value: the trailing store window up to now, refreshed every
    collection so the console's figures are never older than one interval."""
    size = ctx.settings.store_interval
    items = items_since(ctx, now - size, now)
    perf = replace(aggregate(ctx.host, now - size, size + 1e-6, items), ts=now)
    ctx.cache.put_latest("performance", ctx.host, to_payload(perf))
    return perf


def aggregate(host: str, start: float, window: float, items: list[dict]) -> PerformanceSnapshot:
    """One snapshot of the items whose ts falls in [start, start + window)."""
    inside = [i for i in items if start <= float(i.get("ts", -1)) < start + window]
    requests = sum(int(i.get("requests") or 0) for i in inside)
    covered = sum(float(i.get("window_s") or 0) for i in inside)
    rates = _numbers(inside, "rps")
    jobs = sum(int(i.get("jobs") or 0) for i in inside)
    failed = sum(int(i.get("jobs_failed") or 0) for i in inside)
    lat = [i.get("latency") for i in inside]
    run = [i.get("runtime") for i in inside]
    return PerformanceSnapshot(
        host=host,
        ts=start,
        window_s=window,
        requests=requests,
        rps_now=rates[-1] if rates else None,
        rps_avg=round(requests / covered, 3) if covered else None,
        rps_peak=max(rates) if rates else None,
        latency_avg_ms=sketch.mean(lat),
        latency_p95_ms=sketch.quantile(lat, 0.95),
        errors_5xx=sum(int(i.get("errors_5xx") or 0) for i in inside),
        jobs_processed=jobs + failed,
        jobs_failed=failed,
        jobs_per_min=round((jobs + failed) / covered * 60, 3) if covered else None,
        runtime_avg_ms=sketch.mean(run),
        runtime_p95_ms=sketch.quantile(run, 0.95),
        wait_avg_ms=sketch.mean([i.get("wait") for i in inside]),
    )


def closed_windows(stamps: list[float], size: int) -> list[int]:
    """Starts of the closed windows among item times: every window but the newest item's.

    A window is closed once a later roll exists: rolls run one at a time and each is pushed
    whole, so no item can still arrive in it (a time-based rule would race a slow roll).
    """
    if not stamps:
        return []
    open_window = writes.bucket_of(max(stamps), size)
    return sorted({writes.bucket_of(ts, size) for ts in stamps} - {open_window})


@periodic(every="store_interval", retries=RETRIES)
def store_metrics(ctx: JobContext, now: float | None = None) -> Outcome:
    """Persist every closed window since the last one stored; the latest value goes to the
    cache first, so a database outage never stops it."""
    now = ctx.clock() if now is None else now
    publish_latest(ctx, now)
    out = Outcome(wrote=["cache: performance"])
    stored = ctx.store.run(lambda: store_windows(ctx, now))
    ctx.store.caught_up(stored)  # the windows are in: say so even if the failures below wait
    out.wrote.append(f"database: {stored} performance_metrics windows")
    failures = store_failures(ctx)
    if failures:
        out.wrote.append(f"database: {failures} job_failures rows")
    return out


def store_windows(ctx: JobContext, now: float) -> int:
    """Every closed window after the watermark, in one transaction; how many were stored."""
    size = ctx.settings.store_interval
    since = writes.performance_stored_until(ctx.engine, ctx.host)
    items = items_since(ctx, 0.0 if since is None else since, now)
    stamps = [float(i.get("ts", -1)) for i in items]
    windows = [aggregate(ctx.host, start, size, items) for start in closed_windows(stamps, size)]
    return writes.write_performance_windows(ctx.engine, windows, size)


def store_failures(ctx: JobContext) -> int:
    """Failures reported by instrumented apps, stored once: claimed into a staged list, written
    (a failure already stored is skipped), then cleared; a crash in between stores them again
    next time, and the database skips them."""
    key = keys.job_failures(ctx.host)
    failures = ctx.cache.claim_items(key, keys.staged(key), MAX_FAILURES_STAGED)
    written = ctx.store.run(lambda: ledger.record_failures(ctx.engine, ctx.host, failures))
    ctx.cache.clear([keys.staged(key)])
    return written
