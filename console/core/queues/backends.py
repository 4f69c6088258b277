"""What the queues screen reads for one host, through the console's shared connections: the
Redis client (queues), the cache (jobs the instrumentation records) and the store engine."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import redis

from console.core.cache import Cache
from console.core.errors import SourceUnavailable
from console.core.feeds.connections import Connections
from console.core.metrics import QueueDepth
from console.core.queues import huey_tasks
from console.core.queues.discover import discover
from console.core.queues.huey_source import HueyKeyProblem, close_huey, open_huey, parse_huey_key
from console.core.queues.huey_tasks import ScheduledTask
from console.core.queues.oldest import oldest_age
from console.core.queues.readers import read_queue
from console.core.queues.watched import Watched, watched
from console.core.sanitize import first_line
from console.core.settings import QueueSpec, mask_url

if TYPE_CHECKING:
    from sqlalchemy import Engine

REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError)


class QueueBackends:
    """One host's queues over the shared connections (which it never closes)."""

    def __init__(self, connections: Connections, host: str) -> None:
        self.connections = connections
        self.settings = connections.settings
        self.host = host

    @property
    def client(self) -> redis.Redis | None:
        return self.connections.redis()

    @property
    def cache(self) -> Cache:
        return self.connections.cache()

    @property
    def engine(self) -> Engine:
        return self.connections.engine()

    def _unreachable(self, exc: BaseException) -> str:
        where = mask_url(self.settings.redis_url or "")
        return f"Redis at {where}: {first_line(str(exc)) or type(exc).__name__}"

    def watched(self) -> tuple[list[Watched], str | None]:
        """Configured plus discovered queues; discovery failing leaves the configured ones."""
        found: list = []
        error = None
        if self.client is not None and self.settings.discover_queues:
            try:
                found = discover(self.client)
            except SourceUnavailable as exc:
                error = str(exc)
        return watched(self.settings, self.host, found), error

    def depths(self, specs: Sequence[QueueSpec], now: float) -> Sequence[QueueDepth] | str:
        """Each queue's depth (and oldest age), or the reason Redis cannot be read."""
        result = []
        try:
            for spec in specs:
                depth = read_queue(self.client, spec)
                if depth.error is None and depth.pending:
                    age = oldest_age(self.client, spec.kind, spec.backend_key, now)
                    depth = replace(depth, oldest_age_s=age)
                result.append(depth)
        except SourceUnavailable as exc:
            return str(exc)
        except REDIS_ERRORS as exc:
            return self._unreachable(exc)
        return result

    def huey(self, spec: QueueSpec) -> Any:
        """huey bound to a watched huey queue (close it with close_huey)."""
        return open_huey(spec, self.client)

    def huey_by_name(self, name: str, specs: Sequence[QueueSpec]) -> Any:
        """huey for a huey instance name (as failures record it): a watched queue's storage,
        else Redis under that name."""
        for spec in specs:
            if spec.kind != "huey":
                continue
            try:
                app = self.huey(spec)
            except (HueyKeyProblem, sqlite3.Error):
                continue
            if app.name == name:
                return app
            close_huey(app)
        if self.client is None:
            raise HueyKeyProblem(f"no watched huey queue is named {name}")
        return open_huey(QueueSpec(name, "huey", key=name), self.client)

    def scheduled(self, items: Sequence[Watched]) -> tuple[list[ScheduledTask], str | None]:
        """Scheduled tasks of every watched huey queue, soonest first."""
        tasks: list[ScheduledTask] = []
        errors = []
        for item in items:
            if item.spec.kind != "huey":
                continue
            try:
                app = self.huey(item.spec)
                try:
                    found, invalid = huey_tasks.read_schedule(item.spec.name, app)
                finally:
                    close_huey(app)
                tasks += found
                errors += [_invalid_line(item.spec.name, invalid)] if invalid else []
            except (HueyKeyProblem, sqlite3.Error) as exc:
                errors.append(f"{item.spec.name}: {first_line(str(exc))}")
            except REDIS_ERRORS as exc:
                return tasks, self._unreachable(exc)
        tasks.sort(key=lambda t: (t.eta is None, t.eta or 0))
        return tasks, "; ".join(errors) or None


def _invalid_line(queue: str, invalid: list) -> str:
    """One line for a schedule's unusable messages: how many, and the first reason."""
    count = f"{len(invalid)} messages" if len(invalid) > 1 else "a message"
    return f"{queue}: {count} invalid: {invalid[0].reason}"


def huey_name(spec: QueueSpec) -> str | None:
    """The huey instance name of a watched huey queue, when the key states it."""
    return parse_huey_key(spec).name if spec.kind == "huey" else None
