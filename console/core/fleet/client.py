"""The console's side of fleet requests: push one to a host's list, wait for its reply.

If the worker has not taken it by the deadline, the console claims it (SET NX) and says
plainly that it was not run: the worker, finding the claim taken, never runs it, however late
it comes back. If the worker claimed it first, it is running: the console waits for the result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from console.core import keys
from console.core.errors import SourceUnavailable
from console.core.fleet.wire import FAILED, TIMED_OUT, Reply, Request, new_id, parse_reply
from console.core.parse import Unfit
from console.core.sanitize import clean, first_line

SLICE_S = 1.0  # one BLPOP's wait: below the client's socket deadline
RUN_BUDGET_S = {"act": 300.0, "update": 300.0, "reread": 60.0, "log": 30.0}
CLAIM_TTL_S = 3600


def not_taken(host: str, seconds: float) -> str:
    """The timeout message: what happened, and that it will not happen later."""
    return (
        f"timed out: the worker on {clean(host, 255)} did not take the request within "
        f"{seconds:g} s (is it running?); it was not run and will not be"
    )


class FleetClient:
    """Sends requests over one shared Redis client (thread-safe: redis-py's pool)."""

    def __init__(
        self,
        redis: Any,
        origin: str,
        who: str,
        timeout: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.redis = redis
        self.origin = origin
        self.who = who
        self.timeout = timeout
        self.clock = clock

    def request(self, host: str, kind: str, **fields: Any) -> Request:
        deadline = self.clock() + self.timeout
        return Request(new_id(), host, kind, deadline, who=self.who, origin=self.origin, **fields)

    def send(self, request: Request) -> Reply:
        """Push, wait, and give up cleanly; never raises for the worker's silence.
        Raises SourceUnavailable when Redis itself cannot be reached."""
        import redis

        raw = request.to_json()
        try:
            self.redis.lpush(keys.fleet_requests(request.host), raw)
            reply = self._wait(request, request.deadline)
            if reply is None:
                if self.redis.set(keys.fleet_claim(request.id), "console", nx=True, ex=CLAIM_TTL_S):
                    self.redis.lrem(keys.fleet_requests(request.host), 1, raw)
                    return Reply(TIMED_OUT, not_taken(request.host, self.timeout))
                # the worker took it just now: it runs; wait for what it did
                budget = RUN_BUDGET_S.get(request.kind, 60.0)
                reply = self._wait(request, self.clock() + budget)
                if reply is None:
                    return Reply(
                        TIMED_OUT,
                        f"the worker on {clean(request.host, 255)} took the request but sent "
                        f"no result within {budget:g} s: look at the host",
                    )
            return reply
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            why = first_line(str(exc)) or type(exc).__name__
            raise SourceUnavailable(f"Redis: {why}") from None
        except redis.ResponseError as exc:  # NOPERM: a read-only Redis user (see the README)
            return Reply(FAILED, f"Redis refused the request: {first_line(str(exc), 200)}")

    def _wait(self, request: Request, until: float) -> Reply | None:
        key = keys.fleet_reply(request.id)
        while True:
            left = until - self.clock()
            if left <= 0:
                return None
            got = self.redis.blpop([key], timeout=max(0.05, min(SLICE_S, left)))
            if got:
                try:
                    return parse_reply(got[1])
                except Unfit as exc:
                    return Reply(FAILED, f"the worker's reply does not fit: {exc}")
