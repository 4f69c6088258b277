"""The machine-wide psutil scan runs at its own slower cadence; a restarted program still
gets its memory at the next poll (a new pid asks for a scan)."""

from __future__ import annotations

from console.core.settings import Settings, SupervisorEndpoint
from console.core.supervisor.poll import Poller, make_clients
from tests.support.supervisord import Program
from tests.support.waits import wait_until


class CountingSampler:
    """The real sampler, counting its scans."""

    def __init__(self, sampler) -> None:
        self.sampler = sampler
        self.scans = 0

    def sample(self, pids):
        self.scans += 1
        return self.sampler.sample(pids)


def test_resources_are_rescanned_seldom_but_at_once_for_a_new_pid(supervisord_factory) -> None:
    sv = supervisord_factory([Program("web", "sleep 600"), Program("worker", "sleep 600")])
    sv.wait_for_state("worker", {"RUNNING"})
    settings = Settings(host="h", supervisors=(SupervisorEndpoint("local", sv.url),))
    poller = Poller(make_clients(settings), "h", resources_every_s=3600)
    poller.sampler = counting = CountingSampler(poller.sampler)
    try:
        for _ in range(5):
            shown = poller.poll()
        assert counting.scans == 1  # every poll: 5
        assert all(p.memory_rss for p in shown.processes)

        sv.rpc().supervisor.stopProcess("web")
        sv.rpc().supervisor.startProcess("web")
        web = wait_until(
            lambda: next((p for p in poller.poll().processes if p.name == "web" and p.pid), None),
            "web running again",
        )
        assert web.memory_rss and counting.scans == 2
    finally:
        poller.close()
