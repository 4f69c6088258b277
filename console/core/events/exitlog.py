"""Exit statuses from supervisord's own log, matched to the events that announce them.

supervisord's events carry no exit status, and its `exitstatus` (getProcessInfo) is wrong for
exactly the exits that matter: an exit before `startsecs` (STARTING -> BACKOFF) sets it to
None (reported as 0), and a respawn resets it. The only record is the line supervisord logs as
it reaps the child, before it sends the event:

    2026-12-01 03:12:07,412 WARN exited: web (exit status 3; not expected)
    2026-12-01 03:12:09,001 INFO stopped: web (terminated by SIGTERM)

Each program keeps a cursor (the timestamp of the last line it used), so an event takes the
first line of its program after the cursor: in order, never twice, however far the listener
lags. The log is read through the XML-RPC `readLog` (it may be anywhere, even unreadable to us);
only its tail, doubled until it reaches back past the cursor.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

# An exit-type transition has one such line: EXITED, BACKOFF (from STARTING), STOPPED.
EXIT_STATES = frozenset({"EXITED", "BACKOFF", "STOPPED"})
_STAMP = r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \w+ "
_LINE = re.compile(
    _STAMP + r"(?P<verb>exited|stopped): (?P<name>.+?) "
    r"\((?P<msg>[^();]*(?:\([^()]*\))?)(?:; (?:not )?expected)?\)\s*$"
)
_STARTED = re.compile(_STAMP + "supervisord started with pid")
_STATUS = re.compile(r"^exit status (\d+)$")
FIRST_READ, MAX_READ = 16_384, 4 << 20


@dataclass(frozen=True)
class ExitLine:
    ts: str  # supervisord's local time, "YYYY-MM-DD HH:MM:SS,mmm" (sorts as text)
    name: str
    detail: str  # "exit status 3", "terminated by SIGKILL (core dumped)"

    @property
    def exitstatus(self) -> int:
        """The code, or -1 when a signal ended it (supervisord's own convention)."""
        found = _STATUS.match(self.detail)
        return int(found.group(1)) if found else -1


def exit_lines(text: str) -> list[ExitLine]:
    """Every exited/stopped line of a piece of supervisord's log, oldest first."""
    found = (_LINE.match(line) for line in text.splitlines())
    return [ExitLine(m["ts"], m["name"], m["msg"]) for m in found if m]


def last_start(text: str) -> str | None:
    """When supervisord last started, as its log says (None if not in this piece)."""
    starts = [m["ts"] for line in text.splitlines() if (m := _STARTED.match(line))]
    return starts[-1] if starts else None


def local_stamp(epoch: float) -> str:
    """An epoch time in the form of supervisord's log timestamps (local time)."""
    millis = int(epoch * 1000) % 1000
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch)) + f",{millis:03d}"


class ExitStatuses:
    """Finds the log line of each exit-type event; `read_tail(n)` returns the log's last n bytes."""

    def __init__(self, read_tail: Callable[[int], str], start_cursor: str) -> None:
        self.read_tail = read_tail
        self.start_cursor = start_cursor
        self.cursors: dict[str, str] = {}

    def lookup(self, name: str) -> ExitLine | None:
        """The first exit line of process `name` after its cursor; advances the cursor."""
        cursor = self.cursors.get(name, self.start_cursor)
        size = FIRST_READ
        while True:
            text = self.read_tail(size)
            lines = text.splitlines()
            reaches_back = len(text) < size or _before(lines, cursor)
            for line in exit_lines(text):
                if line.name == name and line.ts > cursor:
                    if not reaches_back:
                        break  # an older unused line may lie before this window
                    self.cursors[name] = line.ts
                    return line
            if reaches_back or size >= MAX_READ:
                return None
            size *= 4


def _before(lines: list[str], cursor: str) -> bool:
    """Does this window start at or before the cursor (so nothing newer is missing)?"""
    for line in lines[1:3]:  # the first line may be cut in half
        stamp = line[:23]
        if len(stamp) == 23 and stamp[4] == "-":
            return stamp <= cursor
    return False
