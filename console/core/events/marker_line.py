"""The line under the history chart, fitted to a width: every kind of marker is named with its
count first; names and times are added while they fit, whole (never cut mid-value)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from console.core.events.markers import ALERT, DEPLOY, FATAL, RESTART, SUPERVISORD, Marker

SEP = " · "
MAX_ITEMS = 3  # past three names a line reads as noise, whatever the width


@dataclass(frozen=True)
class Group:
    """One kind of marker: `head` alone (`restarts 8`), or with its first items."""

    head: str
    brief: str  # the head with only a count, when no item fits: `FATAL ×2`
    items: tuple[str, ...]
    count: int  # how many items there are in all (the rest is shown as +N)
    bracket: bool = False  # items in parentheses after the head (restarts)

    def render(self, shown: int) -> str:
        if shown == 0:
            return self.brief
        listed = ", ".join(self.items[:shown])
        rest = f" +{self.count - shown}" if self.count > shown else ""
        if self.bracket:
            return f"{self.head} ({listed}{rest})"
        return f"{self.head} {listed}{rest}"


def short_name(program: str) -> str:
    """`web:web` (a program alone in its group) reads as `web`."""
    group, sep, name = program.partition(":")
    return name if sep and group == name else program


def alert_label(label: str) -> str:
    """`program_fatal web:web` reads as `program_fatal web`."""
    rule, sep, subject = label.partition(" ")
    return f"{rule} {short_name(subject)}" if sep else rule


def deploy_label(label: str) -> str:
    """A deploy of many groups by count (`6 groups added`); of one or two, by name."""
    changes = label.split(", ")
    if len(changes) <= 2:
        return label
    verbs = Counter(change.rpartition(" ")[2] for change in changes)
    return ", ".join(
        f"{n} groups {verb}" if n > 1 else f"1 group {verb}" for verb, n in verbs.items()
    )


def groups(found: Sequence[Marker], gaps: Sequence[tuple[float, float]] = ()) -> list[Group]:
    """What happened in the range shown, most telling first: restarts by program (most often
    first), then FATALs, alerts, deploys and supervisord (newest first), then the times
    without data."""
    out = []
    restarts = Counter(short_name(m.label) for m in found if m.kind == RESTART)
    if restarts:
        total = sum(restarts.values())
        items = tuple(f"{name} ×{n}" for name, n in restarts.most_common())
        out.append(Group(f"restarts {total}", f"restarts {total}", items, len(items), True))
    for kind in (FATAL, ALERT, DEPLOY, SUPERVISORD):
        mine = [m for m in reversed(found) if m.kind == kind]
        if mine:
            label = {FATAL: short_name, ALERT: alert_label, DEPLOY: deploy_label}.get(kind, str)
            items = tuple(f"{label(m.label)} {_clock(m.ts)}" for m in mine)
            out.append(Group(kind, f"{kind} ×{len(mine)}", items, len(items)))
    if gaps:
        items = tuple(f"{_clock(a)}–{_clock(b)}" for a, b in reversed(gaps))
        out.append(Group("no data", f"no data ×{len(gaps)}", items, len(items)))
    return out


def fit(found: Sequence[Group], width: int) -> str:
    """The richest line that fits `width`: all heads first (trailing kinds dropped, and
    counted, only when even they do not fit), then one more item per kind in turn."""
    shown = [0] * len(found)
    kinds = len(found)
    while kinds and len(_line(found, shown, kinds)) > width:
        kinds -= 1
    if kinds == 0 and len(_line(found, shown, 0)) > width:
        return ""  # not even "+N more" fits: the legend in the plot names the kinds
    grew = True
    while grew:
        grew = False
        for i in range(kinds):
            if shown[i] >= min(MAX_ITEMS, found[i].count):
                continue
            shown[i] += 1
            if len(_line(found, shown, kinds)) <= width:
                grew = True
            else:
                shown[i] -= 1
    return _line(found, shown, kinds)


def _line(found: Sequence[Group], shown: Sequence[int], kinds: int) -> str:
    parts = [group.render(n) for group, n in zip(found[:kinds], shown, strict=False)]
    if kinds < len(found):
        parts.append(f"+{len(found) - kinds} more")
    return SEP.join(parts)


def _clock(ts: float) -> str:
    return time.strftime("%H:%M", time.localtime(ts))
