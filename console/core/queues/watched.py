"""Which queues to show: the configured ones, plus what discovery found (settings rename, hide
or add), plus the worker's own huey queue; each says how it was recognised."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from console.core.hueys import worker_huey_file, worker_queue_name
from console.core.queues.discover import FoundQueue
from console.core.queues.huey_source import is_sqlite, parse_huey_key
from console.core.settings import QueueSpec, Settings

OWN_QUEUE = "stackwatch"


@dataclass(frozen=True)
class Watched:
    spec: QueueSpec
    origin: str  # "settings", "found: <reason>", "worker"


def _matches(spec: QueueSpec, found: FoundQueue) -> bool:
    if spec.kind != found.kind or is_sqlite(spec):
        return False
    name = parse_huey_key(spec).name if spec.kind == "huey" else spec.backend_key
    return name == found.name


def _own_sqlite(settings: Settings, host: str) -> QueueSpec | None:
    path = worker_huey_file(settings)
    if settings.redis_url or not path.is_file():
        return None
    return QueueSpec(OWN_QUEUE, kind="huey", key=f"sqlite:{path}#{worker_queue_name(host)}")


def watched(settings: Settings, host: str, found: Sequence[FoundQueue] = ()) -> list[Watched]:
    """Configured (visible) queues first, in settings order, then the discovered ones; the
    worker's own queue is `host`'s."""
    specs = settings.queues
    result = [Watched(s, "settings") for s in specs if not s.hidden]
    names = {s.name for s in specs}
    for item in found:
        spec = next((s for s in specs if _matches(s, item)), None)
        if spec is not None:
            continue  # configured: shown (or hidden) under its configured name
        if item.kind == "huey" and item.name == worker_queue_name(host):
            if OWN_QUEUE not in names:
                result.append(Watched(QueueSpec(OWN_QUEUE, "huey", key=item.name), "worker"))
                names.add(OWN_QUEUE)
            continue
        name = item.name if item.name not in names else f"{item.name} ({item.kind})"
        names.add(name)
        result.append(Watched(QueueSpec(name, item.kind, key=item.name), f"found: {item.reason}"))
    own = _own_sqlite(settings, host)
    if own is not None and OWN_QUEUE not in names:
        result.append(Watched(own, "worker"))
    return result
