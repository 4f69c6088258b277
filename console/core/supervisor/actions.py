"""start / stop / restart / signal / clear / rolling restart, each reporting every process's
final state. Calls are made with wait=False and the outcome is polled, so no single call
outlives the client's deadline and a supervisord that restarts mid-action is reported as
"not confirmed", never as done."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from console.core.supervisor.client import SupervisorClient
from console.core.supervisor.errors import (
    ReadOnlyRefused,
    SupervisorFault,
    SupervisorUnavailable,
)
from console.core.supervisor.models import (
    SKIPPED,
    ActionResult,
    Outcome,
    ProcessInfo,
    state_group,
)
from console.core.supervisor.resources import has_execed
from console.core.supervisor.targets import command, resolve

STOPPED_STATES = frozenset({"STOPPED", "EXITED", "FATAL"})
START_FAILED = frozenset({"BACKOFF", "EXITED", "FATAL", "STOPPED"})
EXEC_WAIT_S = 1.0  # how long a fresh child may take to exec before we signal it anyway
MARGIN_S = 5.0


class Actions:
    """Actions on one supervisord. `sleep`/`clock` are injectable for tests."""

    def __init__(
        self,
        client: SupervisorClient,
        poll_s: float = 0.02,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.poll_s = poll_s
        self.clock = clock
        self.sleep = sleep
        self._supervisord_pid: int | None = None

    # --- public actions ------------------------------------------------------------------------

    def start(self, target: str) -> ActionResult:
        return self._run("start", target, lambda names: self._start(names))

    def stop(self, target: str) -> ActionResult:
        return self._run("stop", target, lambda names: self._stop(names))

    def restart(self, target: str) -> ActionResult:
        return self._run("restart", target, self._restart)

    def signal(self, target: str, signal: str) -> ActionResult:
        return self._run("signal", target, lambda names: self._signal(names, signal), signal=signal)

    def clear_logs(self, target: str) -> ActionResult:
        return self._run("clear_logs", target, self._clear)

    def rolling_restart(self, target: str) -> ActionResult:
        """One at a time; waits for RUNNING before the next; stops at the first failure."""
        return self._run("rolling_restart", target, self._rolling)

    def stop_names(self, names: list[str]) -> list[Outcome]:
        """Stop exact `group:name`s (for update); each outcome as in stop()."""
        return self._stop(names)

    # --- plumbing ------------------------------------------------------------------------------

    def _run(
        self, action: str, target: str, body: Callable[[list[str]], list[Outcome]], **kw: Any
    ) -> ActionResult:
        began = self.clock()
        cmd = command(action, target, kw.get("signal"))
        base = {"action": action, "endpoint": self.client.name, "target": target, "command": cmd}
        try:
            if self.client.read_only:
                raise ReadOnlyRefused(f"read-only: {action} refused")
            names = resolve(target, self.client.processes())
            outcomes = body(names)
        except (SupervisorUnavailable, SupervisorFault, ReadOnlyRefused) as exc:
            return ActionResult(**base, error=str(exc), seconds=self.clock() - began)
        return ActionResult(**base, outcomes=tuple(outcomes), seconds=self.clock() - began)

    def _infos(self) -> dict[str, ProcessInfo]:
        return {p.full_name: p for p in self.client.processes()}

    def _limits(self, names: Sequence[str], key: str, default: float) -> float:
        """The largest `startsecs`/`stopwaitsecs` of the targets (older supervisords: default)."""
        try:
            config = self.client.config_info()
        except SupervisorFault:
            return default
        values = [float(config.get(n, {}).get(key, default)) for n in names]
        return max(values, default=default)

    def _batch(self, method: str, names: Sequence[str], *extra: Any) -> dict[str, Any]:
        """One multicall: name -> value or SupervisorFault."""
        answers = self.client.multicall([(method, (n, *extra)) for n in names])
        return dict(zip(names, answers, strict=True))

    def _wait(
        self, names: Sequence[str], done: Callable[[ProcessInfo], bool], seconds: float
    ) -> tuple[dict[str, ProcessInfo], str]:
        """Poll until every name is `done` or the time is up; returns last infos and a note."""
        until = self.clock() + seconds
        infos: dict[str, ProcessInfo] = {}
        while True:
            try:
                infos = self._infos()
            except SupervisorUnavailable as exc:
                return infos, f"not confirmed: {exc}"
            if all(n in infos and done(infos[n]) for n in names):
                return infos, ""
            if self.clock() >= until:
                return infos, f"not confirmed within {seconds:g} s"
            self.sleep(self.poll_s)

    def _await_exec(self, infos: dict[str, ProcessInfo], names: Sequence[str]) -> None:
        """Hold a stop/signal until each fresh child has exec'd (see resources.has_execed)."""
        fresh = [
            infos[n] for n in names if n in infos and infos[n].statename in ("STARTING", "RUNNING")
        ]
        fresh = [p for p in fresh if p.pid and (p.now - p.start) < 2]
        if not fresh:
            return
        until = self.clock() + EXEC_WAIT_S
        if not self.client.is_local:
            # Remote: pids are not ours to inspect; a second of uptime is ample for exec.
            self.sleep(max(0.0, min(EXEC_WAIT_S, 1.0 - min(p.now - p.start for p in fresh))))
            return
        parent = self._parent_pid()
        while fresh and self.clock() < until:
            fresh = [p for p in fresh if has_execed(p.pid, parent) is False]
            if fresh:
                self.sleep(0.005)

    def _parent_pid(self) -> int:
        if self._supervisord_pid is None:
            self._supervisord_pid = self.client.pid()
        return self._supervisord_pid

    # --- bodies --------------------------------------------------------------------------------

    def _stop(self, names: list[str], infos: dict[str, ProcessInfo] | None = None) -> list[Outcome]:
        infos = infos if infos is not None else self._infos()
        self._await_exec(infos, names)
        answers = self._batch("supervisor.stopProcess", names, False)
        failed = {
            n: a
            for n, a in answers.items()
            if isinstance(a, SupervisorFault) and a.name != "NOT_RUNNING"
        }
        pending = [n for n in names if n not in failed]
        limit = self._limits(pending, "stopwaitsecs", 10.0) + MARGIN_S
        final, note = self._wait(pending, lambda p: p.statename in STOPPED_STATES, limit)
        outcomes = []
        for name in names:
            info = final.get(name)
            state = info.statename if info else ""
            if name in failed:
                outcomes.append(Outcome(name, False, state, str(failed[name])))
            elif info is not None and state in STOPPED_STATES:
                was = isinstance(answers[name], SupervisorFault)
                outcomes.append(Outcome(name, True, state, "already stopped" if was else "stopped"))
            else:
                outcomes.append(Outcome(name, False, state, note or "did not stop"))
        return outcomes

    def _start(self, names: list[str]) -> list[Outcome]:
        answers = self._batch("supervisor.startProcess", names, False)
        failed = {
            n: a
            for n, a in answers.items()
            if isinstance(a, SupervisorFault) and a.name != "ALREADY_STARTED"
        }
        pending = [n for n in names if n not in failed]
        limit = self._limits(pending, "startsecs", 1.0) + MARGIN_S
        settled = lambda p: p.statename == "RUNNING" or p.statename in START_FAILED  # noqa: E731
        final, note = self._wait(pending, settled, limit)
        return [self._start_outcome(n, answers[n], failed, final, note) for n in names]

    @staticmethod
    def _start_outcome(name: str, answer: Any, failed: dict, final: dict, note: str) -> Outcome:
        info = final.get(name)
        state = info.statename if info else ""
        if name in failed:
            return Outcome(name, False, state, str(failed[name]))
        if state == "RUNNING":
            was = isinstance(answer, SupervisorFault)
            return Outcome(name, True, state, "already running" if was else "started")
        if info is not None and state in START_FAILED:
            why = f": {info.spawnerr}" if info.spawnerr else ""
            return Outcome(name, False, state, f"exited before startsecs ({state}){why}")
        return Outcome(name, False, state, note or "did not reach RUNNING")

    def _restart(self, names: list[str]) -> list[Outcome]:
        stopped = {o.target: o for o in self._stop(names)}
        ready = [n for n in names if stopped[n].ok]
        started = {o.target: o for o in self._start(ready)} if ready else {}
        return [started.get(n) or stopped[n] for n in names]

    def _signal(self, names: list[str], signal: str) -> list[Outcome]:
        infos = self._infos()
        self._await_exec(infos, names)
        answers = self._batch("supervisor.signalProcess", names, signal)
        after = self._infos()
        outcomes = []
        for name, answer in answers.items():
            state = after[name].statename if name in after else ""
            if isinstance(answer, SupervisorFault):
                outcomes.append(Outcome(name, False, state, str(answer)))
            else:
                outcomes.append(Outcome(name, True, state, f"sent SIG{signal.removeprefix('SIG')}"))
        return outcomes

    def _clear(self, names: list[str]) -> list[Outcome]:
        answers = self._batch("supervisor.clearProcessLogs", names)
        return [
            Outcome(
                n,
                not isinstance(a, SupervisorFault),
                "",
                str(a) if isinstance(a, SupervisorFault) else "logs cleared",
            )
            for n, a in answers.items()
        ]

    def _rolling(self, names: list[str]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for index, name in enumerate(names):
            outcome = self._restart([name])[0]
            outcomes.append(outcome)
            if not outcome.ok:
                skipped = f"{SKIPPED} rolling restart stopped at {name}"
                outcomes += [Outcome(n, False, "", skipped) for n in names[index + 1 :]]
                break
        return outcomes


def is_expected_running(info: ProcessInfo) -> bool:
    """For `status`: RUNNING (or on its way) counts as up."""
    return state_group(info.statename) == "running" or info.statename == "STARTING"
