"""The worker's side of fleet requests: take one from this host's list, run it against the
local supervisord, push the reply.

Why a Redis list (BRPOP) in a thread of its own, not a huey task: the request is JSON in a
fixed vocabulary, so a console needs write access to `stackwatch:fleet:requests:*` only, never
to huey's queue (whose pickles run as code in the worker); and a restart is not queued behind a
long store or cleanup job. A request is run only (1) before its deadline and (2) after this
worker wins its claim (SET NX): a console that gave up waiting has claimed it first, so a
request it reported as "not run" is never run, even by a worker that comes back later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from console.core import keys
from console.core.fleet.wire import (
    FAILED,
    MAX_PIECE,
    OK,
    REFUSED,
    Request,
    parse_request,
    reply_json,
)
from console.core.parse import Unfit
from console.core.sanitize import first_line
from console.core.settings import Settings
from console.core.supervisor.actions import Actions
from console.core.supervisor.client import SupervisorClient
from console.core.supervisor.errors import ReadOnlyRefused, SupervisorFault, SupervisorUnavailable
from console.core.supervisor.models import ConfigDiff
from console.core.supervisor.update import reread, update

log = logging.getLogger("stackwatch.worker.fleet")
REPLY_TTL_S = 300  # a reply nobody reads is gone after this
CLAIM_TTL_S = 3600  # past any deadline: the deadline check covers what comes after
TAKE_WAIT_S = 1.0  # one BRPOP's wait: the thread notices a stop within this
READ_THREADS = 3
WATCHED_EVERY_S = 2.0  # how often a watched host's process list is republished


class RequestServer:
    """Serves this host's request list with the worker's own settings (read-only included)."""

    def __init__(
        self,
        settings: Settings,
        redis: Any,
        clients: list[SupervisorClient],
        clock: Callable[[], float] = time.time,
        after_action: Callable[[], None] | None = None,
        watched_every: float = WATCHED_EVERY_S,
    ) -> None:
        self.settings = settings
        self.redis = redis
        self.clients = {c.name: c for c in clients}
        self.clock = clock
        self.after_action = after_action  # republish the process list at once
        self.watched_every = watched_every
        self._next_watch_check = 0.0
        self.key = keys.fleet_requests(settings.host)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Actions one at a time, in the order sent (a stop then a start must not cross);
        # log reads and searches beside them, so a long restart does not hold up a tail.
        self._actions = ThreadPoolExecutor(1, "fleet-action")
        self._reads = ThreadPoolExecutor(READ_THREADS, "fleet-read")

    # -- the loop ---------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="fleet-requests", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=TAKE_WAIT_S * 5)
        for pool in (self._actions, self._reads):
            pool.shutdown(wait=False, cancel_futures=True)  # not taken: past due, never run

    def _loop(self) -> None:
        import redis

        while not self._stop.is_set():
            try:
                taken = self.redis.brpop([self.key], timeout=TAKE_WAIT_S)
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                log.warning("fleet requests: Redis: %s", first_line(str(exc)))
                self._stop.wait(2.0)
                continue
            request = self._parse(taken[1]) if taken else None
            if request is not None:
                pool = self._actions if request.mutating else self._reads
                pool.submit(self._guarded, request)
            self._while_watched()

    def _while_watched(self) -> None:
        """A console shows this host's programs: publish them every `watched_every` s."""
        import redis

        now = time.monotonic()
        if self.after_action is None or now < self._next_watch_check:
            return
        self._next_watch_check = now + self.watched_every
        try:
            watched = self.redis.exists(keys.fleet_watch(self.settings.host))
        except redis.RedisError:
            return  # the loop's next BRPOP says what is wrong
        if watched:
            self._reads.submit(self.after_action)

    def _guarded(self, request: Request) -> None:
        import redis

        try:
            self.decide(request)
        except redis.RedisError as exc:  # the reply is lost; the console says it timed out
            log.warning("fleet request %s: Redis: %s", request.id, first_line(str(exc)))
        except Exception as exc:  # a bug here: the pool would hide it, the console would wait
            log.exception("fleet request %s failed", request.id)
            why = f"the worker failed: {type(exc).__name__}: {first_line(str(exc), 300)}"
            try:
                self._reply(request, FAILED, why)
            except redis.RedisError:
                pass  # Redis went too: the console reports the time-out

    # -- one request ------------------------------------------------------------------------
    def handle(self, raw: bytes) -> str:
        """Parse and run one request here and now (tests, and what the pools run)."""
        request = self._parse(raw)
        return "dropped: not a request" if request is None else self.decide(request)

    def _parse(self, raw: bytes) -> Request | None:
        try:
            return parse_request(raw)
        except Unfit as exc:
            log.warning("fleet request dropped: %s", first_line(str(exc)))
            return None

    def decide(self, request: Request) -> str:
        """Run `request` unless it is foreign, past due, given up or refused; what was done."""
        if request.host != self.settings.host:
            return self._reply(request, FAILED, f"sent to {request.host}, not this host")
        if self.clock() > request.deadline:
            log.info("fleet request %s expired before it was taken: not run", request.id)
            return "expired"
        if not self.redis.set(keys.fleet_claim(request.id), "worker", nx=True, ex=CLAIM_TTL_S):
            log.info("fleet request %s was given up by its console: not run", request.id)
            return "given up"
        if request.mutating and self.settings.read_only:
            return self._reply(
                request, REFUSED, f"refused: the worker on {self.settings.host} is read-only"
            )
        client = self.clients.get(request.endpoint)
        if client is None:
            return self._reply(request, FAILED, f"no supervisord named {request.endpoint!r} here")
        try:
            answer = self._run(request, client)
        except (SupervisorUnavailable, SupervisorFault, ReadOnlyRefused, LookupError) as exc:
            return self._reply(request, FAILED, first_line(str(exc), 500))
        except OSError as exc:  # the log file went away or cannot be read by the worker
            return self._reply(request, FAILED, first_line(exc.strerror or str(exc), 500))
        if request.mutating:
            who = f"{request.who}@{request.origin}"
            log.info("fleet: %s %s %s by %s", request.kind, request.action, request.target, who)
            if self.after_action is not None:
                self.after_action()
        return self._reply(request, OK, **answer)

    def _run(self, request: Request, client: Any) -> dict[str, Any]:
        if request.kind == "search":
            from console.core.fleet.search import run_search

            return run_search(client, request)
        if request.kind == "log":
            offset, length = bounded(request)
            if request.method == "supervisor.readLog":
                return {"data": client.call(request.method, offset, length)}
            answer = client.call(request.method, request.name, offset, length)
            if request.method.startswith("supervisor.tail"):
                data, offset, overflow = answer
                return {"data": data, "offset": int(offset), "overflow": bool(overflow)}
            return {"data": answer}
        actions = Actions(client)
        if request.kind == "reread":
            answer = reread(actions)
            key = "result" if hasattr(answer, "outcomes") else "diff"
            return {key: answer}
        if request.kind == "update":
            return {"result": update(actions, request.diff or ConfigDiff())}
        if request.action == "signal":
            return {"result": actions.signal(request.target, request.signal)}
        return {"result": getattr(actions, request.action)(request.target)}

    def _reply(self, request: Request, status: str, error: str = "", **answer: Any) -> str:
        key = keys.fleet_reply(request.id)
        pipe = self.redis.pipeline()
        pipe.rpush(key, reply_json(request.id, status, error, **answer))
        pipe.expire(key, REPLY_TTL_S)
        pipe.execute()
        return status if not error else f"{status}: {error}"


def bounded(request: Request) -> tuple[int, int]:
    """(offset, length) of a log read, never more than one piece: supervisord reads to the
    end of the file for a length of 0, and the last -offset bytes for a negative offset."""
    if request.method.startswith("supervisor.tail"):
        return request.offset, request.length
    if request.offset < 0:
        return max(request.offset, -MAX_PIECE), 0
    return request.offset, request.length if 0 < request.length <= MAX_PIECE else MAX_PIECE
