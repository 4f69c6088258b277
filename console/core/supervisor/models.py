"""Frozen dataclasses for supervisord processes, action outcomes and snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from console.core.parse import Invalid, Unfit, kind_of, number
from console.core.parse import invalid as invalid_reading
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
SKIPPED = "skipped:"  # how an outcome not attempted begins
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
    def from_rpc(cls, endpoint: str, info: Any) -> ProcessInfo:
        """Build from a getProcessInfo struct; raises Unfit when it does not fit."""
        return parse_process(endpoint, info)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the computed fields."""
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data.update(full_name=self.full_name, uptime=self.uptime)
        return data


MAX_PROCESSES = 10_000  # one supervisord's programs; more is not an answer we can show
_TEXT_FIELDS = {"stdout_logfile": 1024, "stderr_logfile": 1024, "description": 300}
_INT_FIELDS = ("pid", "start", "stop", "now", "exitstatus")


def _str(info: dict, key: str, max_chars: int, default: str = "", line: bool = False) -> str:
    """A string field: text (cut and made printable; its first line only when `line`), or
    Unfit when it is another type."""
    value = info.get(key, default)
    if not isinstance(value, str):
        raise Unfit(f"{key} is {kind_of(value)}, not text")
    return first_line(value, max_chars) if line else clean(value, max_chars)


def _int(info: dict, key: str) -> int:
    value = info.get(key) or 0
    return int(number(value, key, integer=True))


def parse_process(endpoint: str, info: Any) -> ProcessInfo:
    """One getProcessInfo struct as a ProcessInfo, every field checked; every string is
    sanitized here, once. Raises Unfit (its message names the field) when it does not fit."""
    if not isinstance(info, dict):
        raise Unfit(f"a process is {kind_of(info)}, not a struct")
    group, name = _str(info, "group", 200), _str(info, "name", 200)
    if not group or not name:
        raise Unfit("a process has no group or name")
    try:
        return ProcessInfo(
            endpoint=endpoint,
            group=group,
            name=name,
            state=int(number(info.get("state", ProcessState.UNKNOWN), "state", integer=True)),
            statename=_str(info, "statename", 20, "UNKNOWN"),
            spawnerr=_str(info, "spawnerr", 200, line=True),
            **{key: _int(info, key) for key in _INT_FIELDS},
            **{key: _str(info, key, size) for key, size in _TEXT_FIELDS.items()},
        )
    except Unfit as exc:
        raise Unfit(f"{group}:{name} {exc}") from None


def parse_processes(endpoint: str, answer: Any) -> tuple[list[ProcessInfo], list[Invalid]]:
    """getAllProcessInfo's answer: the processes that fit, and an Invalid for each one that
    does not (wrong types, a name listed twice) or for the whole answer when it is no list."""
    what = f"supervisord {clean(endpoint, 60)}"
    if not isinstance(answer, list):
        return [], [Invalid(what, f"getAllProcessInfo answered {kind_of(answer)}, not a list")]
    if len(answer) > MAX_PROCESSES:
        return [], [Invalid(what, f"{len(answer)} processes (limit {MAX_PROCESSES})")]
    found: dict[str, ProcessInfo] = {}
    invalid = []
    for info in answer:
        try:
            process = parse_process(endpoint, info)
            if process.full_name in found:
                raise Unfit(f"{process.full_name} is listed twice")
        except Unfit as exc:
            invalid.append(invalid_reading(what, exc))
            continue
        found[process.full_name] = process
    return list(found.values()), invalid


# getAllConfigInfo options we read, and the type each must have to be used.
_CONFIG_TYPES: dict[str, type | tuple[type, ...]] = {
    "command": str,
    "autostart": bool,
    "killasgroup": bool,
    "stopasgroup": bool,
    "stopsignal": int,
    "startsecs": int,
    "stopwaitsecs": int,
    "stdout_logfile_maxbytes": int,
    "stderr_logfile_maxbytes": int,
}


def parse_config_info(answer: Any) -> dict[str, dict[str, Any]]:
    """getAllConfigInfo by `group:name`. An entry without text group/name is left out, and
    so is an option we read that has the wrong type (it then counts as not set)."""
    found: dict[str, dict[str, Any]] = {}
    for entry in answer if isinstance(answer, list) else ():
        if not isinstance(entry, dict):
            continue
        group, name = entry.get("group"), entry.get("name")
        if not isinstance(group, str) or not isinstance(name, str):
            continue
        found[f"{group}:{name}"] = {
            key: value
            for key, value in entry.items()
            if key not in _CONFIG_TYPES
            or (isinstance(value, _CONFIG_TYPES[key]) and not _bool_for_int(key, value))
        }
    return found


def _bool_for_int(key: str, value: Any) -> bool:
    return _CONFIG_TYPES[key] is int and isinstance(value, bool)


@dataclass(frozen=True)
class EndpointStatus:
    """How one configured supervisord answered: `kind` is 'ok' or a failure kind."""

    name: str
    url: str  # masked
    kind: str = "ok"
    message: str = ""
    state: str = ""  # supervisord's own state (RUNNING, RESTARTING, SHUTDOWN)
    via_worker: bool = False  # seen through the host's worker (no supervisord URL here)

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
    invalid: tuple[Invalid, ...] = ()  # answers that did not fit, each with its reason

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

    @property
    def skipped(self) -> bool:
        """Not attempted (a rolling restart stops at its first failure): not a failure."""
        return not self.ok and self.message.startswith(SKIPPED)


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
        bad = [o for o in self.outcomes if not o.ok and not o.skipped]
        skipped = sum(o.skipped for o in self.outcomes)
        count = len(self.outcomes)
        if bad or skipped:
            also = f", {skipped} skipped" if skipped else ""
            first = f"{bad[0].target}: {bad[0].message}" if bad else "nothing failed"
            return f"{self.command}: {len(bad)} of {count} failed{also}; {first}"
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
