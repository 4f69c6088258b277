"""The small API applications call to report requests and jobs to stackwatch.

    from console.core.report import record_request, instrument, WSGIMiddleware, ASGIMiddleware
    record_request(12.5, 200)          # one Redis command: RPUSH of the sample, which counts
    app = WSGIMiddleware(app)          # or ASGIMiddleware(app)
    instrument(huey)                   # job throughput, runtime, wait, in-flight, failures

Reporting never raises into the application: when the cache is down, samples are dropped,
one warning a minute is logged, and calls are skipped for a few seconds (a breaker).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any

import redis

from console.core import keys
from console.core.cache import Cache, open_cache
from console.core.errors import SourceUnavailable
from console.core.sanitize import first_line
from console.core.settings import Settings, load_settings
from console.core.throttle import Breaker, RepeatFilter

MAX_LATENCY_SAMPLES = 5000  # per roll interval; beyond that the oldest are trimmed
TRIM_AT = 2 * MAX_LATENCY_SAMPLES  # trim rarely: once per MAX_LATENCY_SAMPLES requests at most
# Atomically trim the counted samples to the newest ARGV[1], adding what it removes to the
# request counter, so a trim loses latencies but never a request.
_TRIM = """
local n = redis.call('LLEN', KEYS[1])
local keep = tonumber(ARGV[1])
if n > keep then
  redis.call('LTRIM', KEYS[1], n - keep, -1)
  redis.call('INCRBY', KEYS[2], n - keep)
end
return n
"""
log = logging.getLogger("stackwatch.report")
log.addFilter(RepeatFilter())


class Reporter:
    """Counts requests for one host into the cache the settings point at."""

    def __init__(self, settings: Settings, cache: Cache | None = None) -> None:
        self.host = settings.host
        self.cache = cache if cache is not None else open_cache(settings)
        self.breaker = Breaker()
        self._client = getattr(self.cache, "client", None)  # Redis: one RPUSH counts
        self._trim = self._client.register_script(_TRIM) if self._client is not None else None
        self._samples = keys.request_samples(self.host)
        self._trim_keys = (self._samples, keys.requests_counter(self.host))

    def record_request(self, duration_ms: float, status: int = 200) -> None:
        """Count one request and keep its duration."""
        if self._client is None or status >= 500 or self.breaker.open:
            self.record_requests(((duration_ms, status),))
            return
        try:
            length = self._client.rpush(self._samples, _sample(duration_ms))
            if length > TRIM_AT:
                self._trim(self._trim_keys, (MAX_LATENCY_SAMPLES,))
        except (OSError, redis.RedisError) as exc:
            self._failed(exc)  # never break the caller's request over a metric
        else:
            self.breaker.succeeded()

    def record_requests(self, batch: Sequence[tuple[float, int]]) -> None:
        """Count a batch of (duration_ms, status) in one round trip."""
        if not batch or self.breaker.open:
            return
        try:
            if self._client is not None:
                self._pipelined(batch)
            else:
                self._plain(batch)
        except (SourceUnavailable, OSError, redis.RedisError) as exc:
            self._failed(exc)  # never break the caller's request over a metric
        else:
            self.breaker.succeeded()

    def _pipelined(self, batch: Sequence[tuple[float, int]]) -> None:
        pipe = self._client.pipeline(transaction=False)
        errors = sum(1 for _, status in batch if status >= 500)
        if errors:
            pipe.incrby(keys.errors_counter(self.host), errors)
        for first in range(0, len(batch), MAX_LATENCY_SAMPLES):
            part = batch[first : first + MAX_LATENCY_SAMPLES]
            pipe.rpush(self._samples, *(_sample(ms) for ms, _ in part))
        if pipe.execute()[-1] > TRIM_AT:
            self._trim(self._trim_keys, (MAX_LATENCY_SAMPLES,))

    def _plain(self, batch: Sequence[tuple[float, int]]) -> None:
        self.cache.incr(keys.requests_counter(self.host), len(batch))
        errors = sum(1 for _, status in batch if status >= 500)
        if errors:
            self.cache.incr(keys.errors_counter(self.host), errors)
        for ms, _ in batch:
            self.cache.push(
                keys.latency_samples(self.host), {"ms": round(ms, 3)}, MAX_LATENCY_SAMPLES
            )

    def _failed(self, exc: BaseException) -> None:
        """Open the breaker and say so (at most once a minute)."""
        self.breaker.failed()
        log.warning("stackwatch: cannot record requests: %s", first_line(str(exc)))


def _sample(ms: float) -> str:
    """One request's sample as the roll reads it, {"ms": ...}, without json.dumps per call."""
    try:
        value = round(float(ms), 3)
    except (TypeError, ValueError, OverflowError):
        return '{"ms":null}'  # still one request; its duration is not a number
    return f'{{"ms":{value!r}}}' if math.isfinite(value) else '{"ms":null}'


_default: Reporter | None = None
_default_lock = threading.Lock()


def configure(settings: Settings | None = None, cache: Cache | None = None) -> Reporter:
    """Set up the module-level reporter (from stackwatch's settings when none are given)."""
    global _default
    with _default_lock:
        _default = Reporter(settings or load_settings().settings, cache)
        return _default


def reporter() -> Reporter:
    """The module-level reporter, configured on first use."""
    return _default if _default is not None else configure()


def record_request(duration_ms: float, status: int = 200) -> None:
    """Report one finished request: its duration in ms and HTTP status."""
    reporter().record_request(duration_ms, status)


class WSGIMiddleware:
    """WSGI middleware: times each request until its body is fully sent."""

    def __init__(self, app: Any, rep: Reporter | None = None) -> None:
        self.app = app
        self.rep = rep

    def __call__(self, environ: dict, start_response: Any) -> Iterable[bytes]:
        started = time.perf_counter()
        status = [500]

        def capture(code: str, headers: list, exc_info: Any = None) -> Any:
            status[0] = int(code.split(" ", 1)[0])
            return (
                start_response(code, headers, exc_info)
                if exc_info
                else start_response(code, headers)
            )

        try:
            body = self.app(environ, capture)
        except BaseException:
            self._record(started, 500)
            raise
        return _Timed(body, lambda: self._record(started, status[0]))

    def _record(self, started: float, status: int) -> None:
        (self.rep or reporter()).record_request((time.perf_counter() - started) * 1000, status)


class _Timed:
    """Wraps a WSGI body so the request is recorded when the server closes it."""

    def __init__(self, body: Iterable[bytes], done: Any) -> None:
        self.body = body
        self.done = done

    def __iter__(self):
        return iter(self.body)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done()


class ASGIMiddleware:
    """ASGI middleware for HTTP: times each request until the response body is complete."""

    def __init__(self, app: Any, rep: Reporter | None = None) -> None:
        self.app = app
        self.rep = rep

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def capture(message: dict) -> None:
            if message.get("type") == "http.response.start":
                status[0] = int(message.get("status", 500))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            (self.rep or reporter()).record_request(
                (time.perf_counter() - started) * 1000, status[0]
            )


def instrument(huey: Any, settings: Settings | None = None, capture_args: bool = False) -> Any:
    """Connect huey's signals so its consumer reports jobs; returns the handler (to disconnect)."""
    from console.core.jobsignals import JobRecorder

    settings = settings or load_settings().settings
    recorder = JobRecorder(settings.host, huey.name, open_cache(settings), capture_args)
    huey.signal()(recorder.handle)
    return recorder


__all__ = [
    "ASGIMiddleware",
    "Reporter",
    "WSGIMiddleware",
    "configure",
    "instrument",
    "record_request",
]
