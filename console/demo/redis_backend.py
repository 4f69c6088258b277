"""Where the demo keeps its cache and queues, never mixed with anyone else's.

- its own redis-server on a unix socket in the demo directory, when redis-server is installed;
- else the embedded SQLite backend (no Redis at all);
- a shared Redis only when asked (`--redis URL`): the demo claims an empty database of its own
  on it and empties that database again on the way out.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from console.core.errors import StackwatchError
from console.core.private_files import private_dir
from console.core.settings import mask_url

CLAIM_KEY = "stackwatch:demo:claim"
SHARED_DATABASES = range(1, 16)  # db 0 is where other programs usually live


def with_database(url: str, db: int) -> str:
    """The same Redis URL pointing at database `db` (redis://, rediss:// or unix://)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "db"]
    if parts.scheme == "unix":
        return parts._replace(query=urlencode([*query, ("db", str(db))])).geturl()
    return parts._replace(path=f"/{db}", query=urlencode(query)).geturl()


class PrivateRedis:
    """A redis-server of the demo's own: unix socket only (no TCP port), nothing saved."""

    def __init__(self, root: Path) -> None:
        self.socket = root / "redis.sock"
        self.log = root / "logs" / "redis.log"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"

    def start(self, timeout: float = 10.0) -> None:
        import redis

        private_dir(self.log.parent)
        args = ["--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.socket.parent)]
        args += ["--logfile", str(self.log), "--daemonize", "no"]
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl+C in the console does not reach it
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise StackwatchError(f"the demo's redis-server exited: see {self.log}")
            try:
                redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
                return
            except (redis.RedisError, OSError):
                time.sleep(0.05)
        raise StackwatchError("the demo's redis-server did not start in time")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


class SharedDatabase:
    """An empty database of a shared Redis, claimed by the demo with a SET NX marker."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.token = secrets.token_hex(8)
        self.url = ""

    def claim(self) -> str:
        """The URL of the first empty database this demo could claim; raises when none is."""
        import redis

        for db in SHARED_DATABASES:
            url = with_database(self.server_url, db)
            try:
                client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
                claimed = self._try(client)
            except redis.ResponseError:
                break  # past the server's last database
            except (redis.RedisError, OSError) as exc:
                raise StackwatchError(
                    f"cannot use the Redis at {mask_url(self.server_url)}: {exc}"
                ) from None
            if claimed:
                self.url = url
                return url
        raise StackwatchError(
            f"no empty database on the Redis at {mask_url(self.server_url)} for the demo"
        )

    def _try(self, client) -> bool:
        try:
            if not client.set(CLAIM_KEY, self.token, nx=True):
                return False
            if client.dbsize() == 1:
                return True
            if client.get(CLAIM_KEY) == self.token.encode():
                client.delete(CLAIM_KEY)
            return False
        finally:
            client.close()

    def release(self) -> int:
        """Remove every key the demo wrote (the database was empty when claimed)."""
        import redis

        if not self.url:
            return 0
        client = redis.Redis.from_url(self.url, socket_timeout=5)
        try:
            if client.get(CLAIM_KEY) != self.token.encode():
                return 0  # not ours any more: touch nothing
            removed = 0
            for key in client.scan_iter(count=500):
                removed += client.unlink(key)
            return removed
        finally:
            client.close()


class DemoBackend:
    """The demo's cache/broker: a private redis-server, a shared Redis's database, or SQLite."""

    def __init__(self, root: Path, share_url: str | None = None, embedded: bool = False) -> None:
        self.private: PrivateRedis | None = None
        self.shared = SharedDatabase(share_url) if share_url and not embedded else None
        if not embedded and not share_url and PrivateRedis.available():
            self.private = PrivateRedis(root)
        self.url: str | None = None

    def start(self) -> None:
        if self.private is not None:
            self.private.start()
            self.url = self.private.url
        elif self.shared is not None:
            self.url = self.shared.claim()

    def stop(self) -> str:
        """Stop or release it; returns what was done, for the last lines of output."""
        if self.private is not None:
            self.private.stop()
            return ""
        if self.shared is not None:
            removed = self.shared.release()
            return f"removed its {removed} keys from {mask_url(self.shared.url)}"
        return ""

    def describe(self) -> str:
        if self.private is not None:
            return f"its own redis-server on {self.private.socket}"
        if self.shared is not None:
            where = mask_url(self.shared.url) if self.shared.url else "?"
            return f"a database of its own on a shared Redis, {where}"
        return "the embedded SQLite backend (no Redis needed)"
