"""What every job needs, made once per process on first use (never at import)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import cached_property
from typing import Any

from sqlalchemy import Engine

from console.core.cache import Cache, open_cache
from console.core.settings import Settings
from console.core.store.engine import make_engine
from jobs.storegate import StoreGate, deadline_for


class JobContext:
    """Settings plus lazily made engine, cache, Redis client and collectors; shared by jobs."""

    def __init__(
        self,
        settings: Settings,
        clock: Callable[[], float] = time.time,
        engine: Engine | None = None,
        cache: Cache | None = None,
    ) -> None:
        self.settings = settings
        self.host = settings.host
        self.clock = clock
        self.started = clock()  # published with the heartbeat: when this worker started
        self.lock = threading.Lock()  # collectors keep state between samples
        self.huey: Any = None  # set by the app factory: our own queue is reported too
        self.wake_sender = threading.Event()  # set when alerts are queued: send them now
        if engine is not None:
            self.__dict__["engine"] = engine
        if cache is not None:
            self.__dict__["cache"] = cache

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.resolved_database_url)

    @cached_property
    def store(self) -> StoreGate:
        """Every database call of the jobs goes through here: deadline, state, outage log."""
        return StoreGate(deadline_for(self.settings.collect_interval), clock=self.clock)

    @cached_property
    def cache(self) -> Cache:
        return open_cache(self.settings, client=self.redis)  # one Redis client per worker

    @cached_property
    def redis(self) -> Any:
        """A Redis client for the queue readers (None when embedded: no Redis configured)."""
        if not self.settings.redis_url:
            return None
        from console.core.redis_client import redis_client

        return redis_client(self.settings.redis_url, self.settings.rpc_timeout)

    @cached_property
    def system(self) -> Any:
        from jobs.collectors.system import SystemCollector

        return SystemCollector(self.host, clock=self.clock)

    @cached_property
    def alert_history(self) -> Any:
        from jobs.alert_history import HistoryWriter

        return HistoryWriter(self)

    def close(self) -> None:
        for name in ("cache", "redis"):
            value = self.__dict__.pop(name, None)
            if value is not None:
                value.close()
        engine = self.__dict__.pop("engine", None)
        if engine is not None:
            engine.dispose()
