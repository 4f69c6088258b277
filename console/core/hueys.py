"""The one huey factory and the worker's queue name (the worker, the console's queue screen,
the demo shop and `doctor` all build their huey here).

RedisHuey when `redis_url` is set (a pool from the one Redis builder, with deadlines so an
outage never hangs a consumer), else SqliteHuey on a file in `data_dir` (the embedded default).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from console.core.private_files import private_file
from console.core.settings import Settings

if TYPE_CHECKING:
    from huey import Huey

WORKER_PREFIX = "stackwatch_"
HUEY_READ_TIMEOUT_S = 5.0  # above huey's 1 s blocking read on its queue


def worker_queue_name(host: str) -> str:
    """The worker's huey name: per host, so hosts sharing one Redis each run their own jobs."""
    return f"{WORKER_PREFIX}{host}"


def worker_huey_file(settings: Settings) -> Path:
    """The embedded broker file of the worker (no Redis configured)."""
    return Path(settings.data_dir) / "huey.db"


def make_huey(
    name: str, settings: Settings, sqlite_path: Path | None = None, results: bool = False
) -> Huey:
    """A huey named `name` on the storage the settings point at (`sqlite_path` when embedded)."""
    from huey import RedisHuey, SqliteHuey

    if settings.redis_url:
        from console.core.redis_client import redis_pool

        pool = redis_pool(settings.redis_url, timeout=3.0, read_timeout=HUEY_READ_TIMEOUT_S)
        return RedisHuey(name, connection_pool=pool, results=results)
    path = sqlite_path or worker_huey_file(settings)
    private_file(path, own_dir=True)  # the broker's pickles: readable by this user only
    return SqliteHuey(name, filename=str(path), results=results, timeout=10)


def worker_huey(settings: Settings) -> Huey:
    """The worker's own huey."""
    return make_huey(worker_queue_name(settings.host), settings, worker_huey_file(settings))
