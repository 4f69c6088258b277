"""One poll of every configured supervisord: processes joined with local CPU/memory."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from console.core.parse import Invalid
from console.core.settings import Settings
from console.core.supervisor.client import SupervisorClient
from console.core.supervisor.errors import SupervisorFault, SupervisorUnavailable
from console.core.supervisor.exits import LOG_TAIL_BYTES, ExitWords
from console.core.supervisor.models import EndpointStatus, ProcessesSnapshot, ProcessInfo


def make_clients(settings: Settings) -> list[SupervisorClient]:
    """One client per configured endpoint, with the settings' deadline and read-only flag."""
    return [
        SupervisorClient(e, timeout=settings.rpc_timeout, read_only=settings.read_only)
        for e in settings.supervisors
    ]


Answer = tuple[list[ProcessInfo], EndpointStatus, list[Invalid]]


def _one(client: SupervisorClient, exits: ExitWords) -> Answer:
    try:
        processes, invalid = client.read_processes()
    except SupervisorUnavailable as exc:
        return [], EndpointStatus(client.name, client.shown_url, exc.kind, str(exc)), []
    except SupervisorFault as exc:
        return [], EndpointStatus(client.name, client.shown_url, "fault", str(exc)), []
    ok = EndpointStatus(client.name, client.shown_url, "ok", state="RUNNING")
    return _with_exit_words(client, processes, exits), ok, invalid


def _with_exit_words(
    client: SupervisorClient, processes: list[ProcessInfo], exits: ExitWords
) -> list[ProcessInfo]:
    """Each process with how it last ended; supervisord's log is read only after a stop."""
    if exits.stale(processes):
        try:
            text = client.call("supervisor.readLog", -LOG_TAIL_BYTES, 0)
        except (SupervisorUnavailable, SupervisorFault):
            text = ""  # no main log file (syslog) or gone meanwhile: the fields must do
        exits.learn(processes, text if isinstance(text, str) else "")
    return [dataclasses.replace(p, exit_words=exits.words(p)) for p in processes]


class Poller:
    """Polls a fixed set of clients; keeps the CPU sampler (priming) between polls."""

    def __init__(
        self,
        clients: Sequence[SupervisorClient],
        host: str,
        resources: bool = True,
        resources_every_s: float = 0.0,
    ):
        self.clients = list(clients)
        self.host = host
        self.sampler = None
        # psutil reads every process of the machine: at 1000 programs the console rescans
        # only this often (or when a new pid appears) and shows the last figures between
        self.resources_every_s = resources_every_s
        self._usage: dict = {}
        self._scanned: set[int] = set()
        self._usage_at = float("-inf")
        if resources:  # psutil only when wanted: `stackwatch status` stays light
            from console.core.supervisor.resources import ResourceSampler

            self.sampler = ResourceSampler()
        # Endpoints are asked in parallel so one hung supervisord delays no other.
        self._pool = ThreadPoolExecutor(max(1, len(self.clients)), "sv-poll")
        self.exits = ExitWords()

    def poll(self, now: float | None = None) -> ProcessesSnapshot:
        if len(self.clients) == 1:
            answers = [_one(self.clients[0], self.exits)]
        else:
            answers = list(self._pool.map(lambda c: _one(c, self.exits), self.clients))
        processes: list[ProcessInfo] = [p for found, _, _ in answers for p in found]
        if self.sampler is not None:
            processes = self._with_usage(processes)
        return ProcessesSnapshot(
            host=self.host,
            ts=time.time() if now is None else now,
            processes=tuple(processes),
            endpoints=tuple(status for _, status, _ in answers),
            invalid=tuple(bad for _, _, invalid in answers for bad in invalid),
        )

    def _with_usage(self, processes: list[ProcessInfo]) -> list[ProcessInfo]:
        local = {c.name for c in self.clients if c.is_local}
        pids = [p.pid for p in processes if p.endpoint in local and p.pid]
        now = time.monotonic()
        due = now - self._usage_at >= self.resources_every_s
        if pids and self.sampler and (due or not self._scanned.issuperset(pids)):
            self._usage, self._usage_at = self.sampler.sample(pids), now
            self._scanned = set(pids)  # asked for, found or not: a vanished pid asks no rescan
        usage = self._usage if pids else {}
        out = []
        for p in processes:
            u = usage.get(p.pid) if p.endpoint in local else None
            if u is not None:
                p = dataclasses.replace(
                    p, cpu_percent=u.cpu_percent, memory_rss=u.memory_rss, children=u.children
                )
            out.append(p)
        return out

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        for client in self.clients:
            client.close()
