"""Silences: an alert (by fingerprint) or a whole rule (by name) sends nothing until `until`,
for a stated reason, by someone; an expired silence simply stops matching."""

from __future__ import annotations

import math
import secrets
from dataclasses import asdict, dataclass
from typing import Any

from console.core.sanitize import clean

MAX_SILENCE_S = 30 * 86400


@dataclass(frozen=True)
class Silence:
    id: str
    match: str  # a fingerprint, or a rule name
    until: float
    reason: str
    who: str
    created: float

    def active(self, now: float) -> bool:
        return now < self.until

    def covers(self, fingerprint: str, rule: str) -> bool:
        return self.match in (fingerprint, rule)

    def to_item(self) -> dict[str, Any]:
        return asdict(self)


def new_silence(match: str, duration_s: float, reason: str, who: str, now: float) -> Silence:
    """A silence from now on (ValueError on a bad duration or an empty reason)."""
    if not (isinstance(duration_s, int | float) and 0 < duration_s <= MAX_SILENCE_S):
        raise ValueError(f"a silence lasts more than 0 s and at most {MAX_SILENCE_S // 86400} days")
    reason = clean(reason or "", 200).strip()
    if not reason:
        raise ValueError("a silence needs a reason")
    return Silence(
        secrets.token_hex(6), clean(match, 64), now + duration_s, reason, clean(who, 64), now
    )


def silence_from_item(item: Any) -> Silence | None:
    if not isinstance(item, dict):
        return None
    strings = [item.get(k) for k in ("id", "match", "reason", "who")]
    numbers = [item.get(k) for k in ("until", "created")]
    if not all(isinstance(s, str) for s in strings):
        return None
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        return None
    if not all(math.isfinite(n) for n in numbers):
        return None
    sid, match, reason, who = (clean(s, 200) for s in strings)
    return Silence(sid, match, float(numbers[0]), reason, who, float(numbers[1]))


def silenced(silences: tuple[Silence, ...], fingerprint: str, rule: str, now: float) -> bool:
    return any(s.active(now) and s.covers(fingerprint, rule) for s in silences)
