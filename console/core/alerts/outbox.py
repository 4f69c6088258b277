"""The outbox: one entry per (message, target) in a cache map, so a message waits while its
target is down (retried with backoff), is bounded (the oldest dropped, and said so), and is
sent once (deleted when sent; its id is the message's, so queuing it twice keeps one).

The target itself is not stored (it may hold a token): the entry names it by a hash, and the
sender finds it again in the settings.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from console.core import keys
from console.core.alerts.model import Notification, notification_from_item
from console.core.cache import Cache
from console.core.redact import mask_target
from console.core.sanitize import clean

FIRST_RETRY_S = 5.0


def target_key(target: str) -> str:
    return hashlib.sha1(target.encode()).hexdigest()[:16]


def known_targets(targets: Iterable[str]) -> dict[str, str]:
    """target key -> target, for the sender to find an entry's target again."""
    return {target_key(t): t for t in targets}


@dataclass(frozen=True)
class Delivery:
    id: str
    target_key: str
    shown: str  # the target, masked
    rule_kind: str
    notification: Notification
    created: float
    next_at: float
    attempts: int = 0
    last_error: str | None = None

    def to_item(self) -> dict[str, Any]:
        item = asdict(self)
        item["notification"] = self.notification.to_item()
        return item


def backoff(attempts: int, longest: float) -> float:
    """5 s, 10 s, 20 s, ... up to `longest`, after the `attempts`-th failed try."""
    return min(longest, FIRST_RETRY_S * 2 ** min(max(attempts - 1, 0), 20))


def delivery_from_item(item: Any) -> Delivery | None:
    if not isinstance(item, dict):
        return None
    note = notification_from_item(item.get("notification"))
    texts = [item.get(k) for k in ("id", "target_key", "shown", "rule_kind")]
    numbers = [item.get(k) for k in ("created", "next_at")]
    attempts = item.get("attempts")
    if note is None or not all(isinstance(t, str) for t in texts):
        return None
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        return None
    if not all(math.isfinite(n) for n in numbers) or not isinstance(attempts, int):
        return None
    error = item.get("last_error")
    return Delivery(
        *(clean(t, 255) for t in texts),  # type: ignore[arg-type]
        notification=note,
        created=float(numbers[0]),
        next_at=float(numbers[1]),
        attempts=attempts,
        last_error=clean(error, 500) if isinstance(error, str) else None,
    )


def pending(cache: Cache, host: str) -> list[Delivery]:
    """Every waiting delivery, oldest first."""
    found = [
        d
        for item in cache.map_all(keys.alert_outbox(host)).values()
        if (d := delivery_from_item(item)) is not None
    ]
    return sorted(found, key=lambda d: (d.created, d.id))


def put(
    cache: Cache,
    host: str,
    notification: Notification,
    rule_kind: str,
    targets: Iterable[str],
    now: float,
    bound: int,
) -> list[Delivery]:
    """Queue `notification` for each target; returns the deliveries dropped to stay bounded."""
    name = keys.alert_outbox(host)
    waiting = pending(cache, host)
    have = {d.id for d in waiting}
    dropped: list[Delivery] = []
    for target in targets:
        key = target_key(target)
        delivery = Delivery(
            f"{notification.id}@{key}", key, mask_target(target), rule_kind, notification, now, now
        )
        if delivery.id in have:
            continue
        while len(waiting) >= bound:
            oldest = waiting.pop(0)
            cache.map_del(name, oldest.id)
            dropped.append(oldest)
        cache.map_set(name, delivery.id, delivery.to_item())
        waiting.append(delivery)
        have.add(delivery.id)
    return dropped


def done(cache: Cache, host: str, delivery: Delivery) -> None:
    cache.map_del(keys.alert_outbox(host), delivery.id)


def failed(
    cache: Cache, host: str, delivery: Delivery, error: str, now: float, longest: float
) -> Delivery:
    """Count a failed try and set the next one."""
    tries = delivery.attempts + 1
    again = replace(
        delivery, attempts=tries, next_at=now + backoff(tries, longest), last_error=error
    )
    cache.map_set(keys.alert_outbox(host), delivery.id, again.to_item())
    return again


def targets_of(notification: Notification, default: tuple[str, ...]) -> tuple[str, ...]:
    return notification.targets if notification.targets is not None else default


def all_targets(
    default: tuple[str, ...], rule_targets: Mapping[str, tuple[str, ...] | None]
) -> set[str]:
    found = set(default)
    for targets in rule_targets.values():
        found.update(targets or ())
    return found
