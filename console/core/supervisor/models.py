"""Frozen dataclasses for supervisord processes, action outcomes and snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from console.core.sanitize import clean, first_line


class ProcessState(IntEnum):
    """supervisord's process states (supervisor/states.py)."""

    STOPPED = 0
    STARTING = 10
    RUNNING = 20
    BACKOFF = 30
    STOPPING = 40
    EXITED = 100
    FATAL = 200
    UNKNOWN = 1000


# One group per state: the CSS class the screen colours by, and what "expected" means.
STATE_GROUP: dict[str, str] = {
    "RUNNING": "running",
    "STARTING": "transition",
    "STOPPING": "transition",
    "STOPPED": "stopped",
    "EXITED": "stopped",
    "BACKOFF": "failed",
    "FATAL": "failed",
    "UNKNOWN": "failed",
}
# States in which supervisord accepts a signal (rpcinterface RUNNING_STATES).
SIGNALLABLE = frozenset({"RUNNING", "STARTING", "BACKOFF"})


def state_group(statename: str) -> str:
    """'running', 'transition', 'stopped' or 'failed' (unknown names read as failed)."""
    return STATE_GROUP.get(statename, "failed")


@dataclass(frozen=True)
class ProcessInfo:
    """One supervised process as supervisord reports it, plus local CPU/memory."""

    endpoint: str
    group: str
    name: str
    state: int
    statename: str
    pid: int = 0
    start: int = 0
    stop: int = 0
    now: int = 0
    exitstatus: int = 0  # supervisord's `exitstatus or 0`: see exits.py before trusting it
    spawnerr: str = ""
    stdout_logfile: str = ""
    stderr_logfile: str = ""
    description: str = ""
    cpu_percent: float | None = None  # process + children; None until primed or not local
    memory_rss: int | None = None  # bytes, process + children
    children: int = 0
    exit_words: str = ""  # how it last ended, in supervisord's words (exits.py)

    @property
    def full_name(self) -> str:
        """`group:name`, what supervisord's calls take."""
        return f"{self.group}:{self.name}"

    @property
    def uptime(self) -> int | None:
        """Seconds up when RUNNING, by supervisord's own clock."""
        if self.statename != "RUNNING" or not self.start:
            return None
        return max(0, self.now - self.start)

    @property
    def group_kind(self) -> str:
        return state_group(self.statename)

    @classmethod
    def from_rpc(cls, endpoint: str, info: dict[str, Any]) -> ProcessInfo:
        """Build from a getProcessInfo struct; every string is sanitized here, once."""
        return cls(
            endpoint=endpoint,
            group=clean(info.get("group", ""), 200),
            name=clean(info.get("name", ""), 200),
            state=int(info.get("state", ProcessState.UNKNOWN)),
            statename=clean(info.get("statename", "UNKNOWN"), 20),
            pid=int(info.get("pid") or 0),
            start=int(info.get("start") or 0),
            stop=int(info.get("stop") or 0),
            now=int(info.get("now") or 0),
            exitstatus=int(info.get("exitstatus") or 0),
            spawnerr=first_line(info.get("spawnerr", "")),
            stdout_logfile=clean(info.get("stdout_logfile", ""), 1024),
            stderr_logfile=clean(info.get("stderr_logfile", ""), 1024),
            description=clean(info.get("description", ""), 300),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the computed fields."""
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data.update(full_name=self.full_name, uptime=self.uptime)
        return data


@dataclass(frozen=True)
class EndpointStatus:
    """How one configured supervisord answered: `kind` is 'ok' or a failure kind."""

    name: str
    url: str  # masked
    kind: str = "ok"
    message: str = ""
    state: str = ""  # supervisord's own state (RUNNING, RESTARTING, SHUTDOWN)

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


@dataclass(frozen=True)
class ProcessesSnapshot:
    """Every program of every configured supervisord at one moment."""

    host: str
    ts: float
    processes: tuple[ProcessInfo, ...] = ()
    endpoints: tuple[EndpointStatus, ...] = ()

    @property
    def reachable(self) -> bool:
        return all(e.ok for e in self.endpoints)


@dataclass(frozen=True)
class Outcome:
    """What one action did to one process: `ok` False means the user must look."""

    target: str  # group:name (or the group / "all" when no process was reached)
    ok: bool
    state: str  # final statename, or "" when unknown
    message: str  # words: "started", "already stopped", "exited before startsecs (BACKOFF)"


@dataclass(frozen=True)
class ActionResult:
    """One action on one endpoint: the equivalent supervisorctl command and each outcome."""

    action: str
    endpoint: str
    target: str
    command: str
    outcomes: tuple[Outcome, ...] = ()
    error: str = ""  # the whole action failed (endpoint down, read-only, ...)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error and all(o.ok for o in self.outcomes)

    def summary(self) -> str:
        """One line: 'restart web:app: ok (RUNNING)' or the first failure."""
        if self.error:
            return f"{self.command}: {self.error}"
        bad = [o for o in self.outcomes if not o.ok]
        count = len(self.outcomes)
        if bad:
            first = f"{bad[0].target}: {bad[0].message}"
            return f"{self.command}: {len(bad)} of {count} failed; {first}"
        return f"{self.command}: ok ({count} process{'es' if count != 1 else ''})"


@dataclass(frozen=True)
class ConfigDiff:
    """reloadConfig's answer: group names added, changed and removed (reread)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)
