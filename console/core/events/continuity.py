"""Proof that no event went missing: supervisord numbers the events of each listener pool
(`poolserial`, 0, 1, 2… for each run of supervisord), so a gap in the numbers is events lost
somewhere (supervisord's buffer, the listener's memory buffer, the capped cache stream) and a
number seen again is an event delivered twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from console.core.events.model import ProcessEvent
from console.core.parse import Unfit, decode_json


@dataclass(frozen=True)
class Verdict:
    duplicate: bool = False
    lost: int = 0  # events missing just before this one


@dataclass
class Continuity:
    """endpoint -> [supervisord run, last serial]; kept in the store with the watermark."""

    last: dict[str, list[int]] = field(default_factory=dict)

    def see(self, event: ProcessEvent) -> Verdict:
        if event.serial is None or event.run is None:
            return Verdict()  # written by a listener that did not number its events
        before = self.last.get(event.endpoint)
        self.last[event.endpoint] = [event.run, max(event.serial, _serial(before, event.run))]
        if before is None or before[0] != event.run:
            return Verdict(lost=event.serial)  # a new run of supervisord counts from 0
        if event.serial <= before[1]:
            self.last[event.endpoint] = before
            return Verdict(duplicate=True)
        return Verdict(lost=event.serial - before[1] - 1)

    def dump(self) -> str:
        return json.dumps(self.last, sort_keys=True)

    @classmethod
    def load(cls, text: str | None) -> Continuity:
        try:
            data = decode_json(text, "continuity state", depth=4) if text else {}
        except Unfit:
            data = {}  # not ours (or damaged): every endpoint starts afresh
        ok = {
            k: [int(v[0]), int(v[1])]
            for k, v in (data.items() if isinstance(data, dict) else [])
            if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v)
        }
        return cls(ok)


def _serial(before: list[int] | None, run: int) -> int:
    return before[1] if before is not None and before[0] == run else -1
