"""The console's connections, made once and shared by every feed: one Redis client, one cache
over it, one engine per store URL, one supervisord client per endpoint.

Everything is opened on first use (nothing at construction, so start-up pays for none of it)
and is safe to share between thread workers: redis-py's pool and SQLAlchemy's engine are
thread-safe, and a supervisord client keeps one connection per thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from console.core.settings import Settings, SupervisorEndpoint

if TYPE_CHECKING:  # imported lazily below: SQLAlchemy and xmlrpc cost the console memory
    import redis
    from sqlalchemy import Engine

    from console.core.cache import Cache
    from console.core.supervisor.client import SupervisorClient


class Connections:
    """Lazily opened, shared connections; `close` releases them all."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()  # guards opening only; I/O happens outside it
        self._redis: redis.Redis | None = None
        self._cache: Cache | None = None
        self._engines: Any = None
        self._clients: dict[str, SupervisorClient] = {}

    def redis(self) -> redis.Redis | None:
        """The Redis client, or None when the settings name no Redis (embedded mode)."""
        if not self.settings.redis_url:
            return None
        with self._lock:
            if self._redis is None:
                from console.core.redis_client import redis_client

                self._redis = redis_client(self.settings.redis_url, self.settings.rpc_timeout)
            return self._redis

    def cache(self) -> Cache:
        """The latest-value cache: over the shared Redis client, or the SQLite file."""
        client = self.redis()
        with self._lock:
            if self._cache is None:
                from console.core.cache import open_cache

                self._cache = open_cache(self.settings, client=client)
            return self._cache

    def engine(self, url: str | None = None) -> Engine:
        """The store's engine (one per URL; the settings' database by default)."""
        with self._lock:
            if self._engines is None:
                from console.core.store.engine import Engines

                self._engines = Engines()
            engines = self._engines
        return engines.get(url or self.settings.resolved_database_url)

    def supervisor(self, endpoint: SupervisorEndpoint) -> SupervisorClient:
        """The client of one configured supervisord, with the settings' deadline and
        read-only flag (enforced in the client, not only in the screens)."""
        from console.core.supervisor.client import SupervisorClient

        with self._lock:
            client = self._clients.get(endpoint.name)
            if client is None or client.endpoint != endpoint:
                client = SupervisorClient(
                    endpoint, timeout=self.settings.rpc_timeout, read_only=self.settings.read_only
                )
                self._clients[endpoint.name] = client
            return client

    def supervisors(self) -> list[SupervisorClient]:
        """One client per configured supervisord, in settings order."""
        return [self.supervisor(e) for e in self.settings.supervisors]

    def counts(self) -> dict[str, int]:
        """How many of each connection are open (for the cost report and its test)."""
        with self._lock:
            return {
                "redis_clients": int(self._redis is not None),
                "engines": len(self._engines) if self._engines is not None else 0,
                "supervisor_clients": len(self._clients),
            }

    def close(self) -> None:
        """Release every connection (the app calls this when it exits).

        The embedded cache is left to the garbage collector: its SQLite connections belong to
        the threads that opened them, and one may still be reading (a thread worker is not
        stopped by its cancellation); closing a SQLite connection under a running query
        crashes the process. The Redis pool and the engine's idle connections close safely.
        """
        with self._lock:
            self._cache = None
            client, self._redis = self._redis, None
            engines, self._engines = self._engines, None
            clients, self._clients = list(self._clients.values()), {}
        for sv in clients:
            sv.close()
        if client is not None:
            client.close()
        if engines is not None:
            engines.dispose()
