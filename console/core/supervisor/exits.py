"""How each program last ended, in supervisord's own words.

getProcessInfo's `exitstatus` is `process.exitstatus or 0` (supervisor/rpcinterface.py):
a program that exits before `startsecs` (BACKOFF, then FATAL) has its status cleared to None
in `finish()` and so reads 0, and one killed by a signal reads -1 whatever the signal was.
supervisord writes the real cause in its main log, from `decode_wait_status`:

    WARN exited: payments (exit status 3; not expected)
    INFO stopped: web (terminated by SIGINT)

So when a program's stop time changes, the poll reads the tail of that log once (`readLog`)
and keeps each program's last words; without the log the words come from the fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from console.core.sanitize import clean
from console.core.supervisor.models import ProcessInfo

LOG_TAIL_BYTES = 32_768
_LINE = re.compile(r"\b(?:exited|stopped): (?P<name>\S+) \((?P<words>[^()]{1,200})\)\s*$")
_QUICK_STATES = frozenset({"BACKOFF", "FATAL"})


def words_from_log(text: str) -> dict[str, str]:
    """name -> supervisord's words for its last exit ("exit status 3; not expected")."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = _LINE.search(line)
        if match:
            found[clean(match["name"], 200)] = clean(match["words"], 200)
    return found


def fallback_words(p: ProcessInfo) -> str:
    """What the fields alone can say (no log): never a status the program did not exit with."""
    if p.statename in ("RUNNING", "STARTING") or not p.stop:
        return ""
    if p.exitstatus == -1:
        return "terminated by a signal"
    if p.statename in _QUICK_STATES:
        return ""  # supervisord cleared the status: the spawn error says why
    return f"exit status {p.exitstatus}"


def needs_log(p: ProcessInfo) -> bool:
    """Only these ended in a way the fields cannot tell."""
    return bool(p.stop) and (p.exitstatus == -1 or p.statename in _QUICK_STATES)


class ExitWords:
    """Per endpoint, each program's last words, re-read only when a stop time changes."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], tuple[int, str]] = {}

    def stale(self, processes: Iterable[ProcessInfo]) -> bool:
        """True when some program stopped since the log was last read."""
        return any(
            needs_log(p) and self._seen.get((p.endpoint, p.name), (None,))[0] != p.stop
            for p in processes
        )

    def learn(self, processes: Iterable[ProcessInfo], log_text: str) -> None:
        words = words_from_log(log_text)
        for p in processes:
            if needs_log(p):
                self._seen[(p.endpoint, p.name)] = (p.stop, words.get(p.name, ""))

    def words(self, p: ProcessInfo) -> str:
        seen = self._seen.get((p.endpoint, p.name))
        if seen is not None and seen[0] == p.stop and seen[1]:
            return seen[1]
        return fallback_words(p)
