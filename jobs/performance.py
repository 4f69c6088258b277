"""reset_tps_counter (every collection) and store_metrics (every store interval).

reset_tps_counter atomically takes the request counter and drains latency samples and job
events into one per-interval item of a capped list; store_metrics reads (without removing)
the items of the last complete bucket and writes one idempotent row, so a retried or doubled
run writes the same row again and a crash loses nothing. Both publish the latest performance
value (the trailing store window) to the cache.
"""

from __future__ import annotations

import math
from dataclasses import replace

from console.core import keys, recent
from console.core.errors import SourceUnavailable
from console.core.metrics import PerformanceSnapshot, to_payload
from console.core.store import ledger, writes
from jobs import sketch
from jobs.collection import Outcome
from jobs.context import JobContext
from jobs.roll_item import fitting
from jobs.schedule import RETRIES, periodic

ITEMS_KEPT = 2000  # per-interval items kept: more than a day at one a minute


def _numbers(items: list[dict], key: str) -> list[float]:
    return [v for i in items if isinstance(v := i.get(key), int | float)]


@periodic(every="collect_interval")
def reset_tps_counter(ctx: JobContext, now: float | None = None) -> dict:
    """Roll the counters of the interval just ended into one item; returns the item."""
    now = ctx.clock() if now is None else now
    cache, host = ctx.cache, ctx.host
    requests = cache.take(keys.requests_counter(host))
    errors = cache.take(keys.errors_counter(host))
    # Each request sample is one request; each move to the counter (a trim) is atomic, so a
    # request is counted exactly once, in this roll or the next.
    counted = cache.drain(keys.request_samples(host))
    requests += len(counted)
    latencies = _numbers(cache.drain(keys.latency_samples(host)) + counted, "ms")
    events = cache.drain(keys.job_events(host))
    previous = fitting(cache.items(keys.rps_minutes(host), 1))
    interval = float(ctx.settings.collect_interval)
    elapsed = now - previous[0]["ts"] if previous else interval
    elapsed = min(max(elapsed, 1.0), 10 * interval)  # a long outage must not flatten the rate
    item = {
        "ts": now,
        "window_s": elapsed,
        "requests": requests,
        "errors_5xx": errors,
        "rps": round(requests / elapsed, 3),
        "latency": sketch.make(latencies),
        "jobs": sum(1 for e in events if e.get("outcome") == "ok"),
        "jobs_failed": sum(1 for e in events if e.get("outcome") == "error"),
        "runtime": sketch.make(_numbers(events, "runtime_ms")),
        "wait": sketch.make(_numbers(events, "wait_ms")),
    }
    cache.push(keys.rps_minutes(host), item, ITEMS_KEPT)
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

    Reading all ITEMS_KEPT items (~3 KB of JSON each) every collection to use the last
    handful cost ~6 MB of parsing per call; this reads a few, and more only when needed.
    """
    interval = max(1, ctx.settings.collect_interval)
    limit = 2 * math.ceil(max(0.0, now - start) / interval + 1) + 4
    while True:
        read = ctx.cache.items(keys.rps_minutes(ctx.host), min(limit, ITEMS_KEPT))
        items = fitting(read)  # a foreign item is left out, never a failed collection
        oldest = items[-1]["ts"] if items else -1.0
        if len(read) < limit or oldest < start or limit >= ITEMS_KEPT:
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


@periodic(every="store_interval", retries=RETRIES)
def store_metrics(ctx: JobContext, now: float | None = None) -> Outcome:
    """Persist the last complete bucket; the latest value goes to the cache first."""
    now = ctx.clock() if now is None else now
    size = ctx.settings.store_interval
    start = writes.bucket_of(now, size) - size
    perf = aggregate(ctx.host, start, size, items_since(ctx, start, now))
    publish_latest(ctx, now)  # before the database, so an outage there never stops it
    out = Outcome(wrote=["cache: performance"])
    writes.write_performance(ctx.engine, perf, bucket_s=size)
    out.wrote.append(f"database: performance_metrics bucket {start}")
    failures = ctx.cache.drain(keys.job_failures(ctx.host))
    try:
        ledger.record_failures(ctx.engine, ctx.host, failures)
    except SourceUnavailable:
        for failure in failures:  # put them back for the next try
            ctx.cache.push(keys.job_failures(ctx.host), failure, 1000)
        raise
    if failures:
        out.wrote.append(f"database: {len(failures)} job_failures rows")
    return out
