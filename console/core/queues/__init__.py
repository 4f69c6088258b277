"""UI-free queue readers: huey, plain Redis lists, Laravel, Celery and RQ queues on Redis.

`read_queue(client, spec)` never raises for a missing or wrong-type key: the reason goes into
that queue's `QueueDepth.error`. Only an unreachable Redis raises `SourceUnavailable`.
"""

from __future__ import annotations

from console.core.queues.readers import read_queue, read_queues

__all__ = ["read_queue", "read_queues"]
