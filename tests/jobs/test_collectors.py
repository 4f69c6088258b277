"""System collector (injected clock, fake cgroup trees) and the schedule rules."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from pathlib import Path

from jobs import schedule
from jobs.collectors import cgroup
from jobs.collectors.system import SystemCollector
from jobs.maintenance import cleanup_due, last_slot
from tests.jobs.helpers import settings_for


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_first_sample_is_primed_and_rates_come_from_deltas(tmp_path: Path) -> None:
    clock = Clock(1_000_000.0)
    collector = SystemCollector("h1", clock=clock, cgroup_root=tmp_path)  # no cgroup files
    clock.now += 10
    sample = collector.collect()
    assert sample.ts == 1_000_010.0 and sample.scope == "host"
    assert sample.mem_total and sample.mem_percent is not None
    assert sample.disks and all(d.total > 0 for d in sample.disks)
    assert "lo" not in sample.net_interfaces
    if sample.net_interfaces:  # a machine with no network but loopback has no rate to show
        assert sample.net_rx_bps is not None and sample.net_rx_bps >= 0
    assert sample.process_count and sample.process_count > 1
    assert sample.uptime_s and sample.uptime_s > 0


def test_loopback_traffic_is_not_counted_as_network(tmp_path: Path) -> None:
    clock = Clock(1_000_000.0)
    collector = SystemCollector("h1", clock=clock, cgroup_root=tmp_path)
    sent = _send_over_loopback(32 * 2**20)
    clock.now += 1
    sample = collector.collect()
    assert "lo" not in sample.net_interfaces
    assert (sample.net_rx_bps or 0) < sent / 4 and (sample.net_tx_bps or 0) < sent / 4


def _send_over_loopback(size: int) -> int:
    """Push `size` bytes through a 127.0.0.1 TCP connection; returns the bytes received."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        peer, _ = server.accept()
        sender = threading.Thread(target=lambda: (client.sendall(b"x" * size), client.close()))
        sender.start()
        received = 0
        with peer:
            while chunk := peer.recv(1 << 20):
                received += len(chunk)
        sender.join()
        return received


def test_cgroup_v2_limits_make_the_scope_container(tmp_path: Path) -> None:
    (tmp_path / "cgroup.controllers").write_text("cpu memory\n")
    (tmp_path / "memory.max").write_text(f"{512 * 2**20}\n")
    (tmp_path / "memory.current").write_text(f"{300 * 2**20}\n")
    (tmp_path / "memory.stat").write_text(f"anon 1\ninactive_file {44 * 2**20}\n")
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    (tmp_path / "cpu.stat").write_text("usage_usec 1000000\n")
    clock = Clock(100.0)
    collector = SystemCollector("c1", clock=clock, cgroup_root=tmp_path)
    (tmp_path / "cpu.stat").write_text("usage_usec 4000000\n")  # 3 CPU s over 10 s
    clock.now = 110.0
    sample = collector.collect()
    assert sample.scope == "container"
    assert sample.cpu_count == 1.5
    assert sample.cpu_percent == 20.0  # 3 s / (10 s x 1.5 cores)
    assert sample.mem_total == 512 * 2**20
    assert sample.mem_used == 256 * 2**20  # inactive file cache is reclaimable
    assert sample.mem_percent == 50.0


def test_cgroup_v2_without_limits_and_v1_unlimited_are_the_host(tmp_path: Path) -> None:
    (tmp_path / "cgroup.controllers").write_text("cpu memory\n")
    (tmp_path / "memory.max").write_text("max\n")
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert not cgroup.read_limits(tmp_path).limited
    v1 = tmp_path / "v1"
    (v1 / "memory").mkdir(parents=True)
    (v1 / "cpu").mkdir()
    (v1 / "memory" / "memory.limit_in_bytes").write_text("9223372036854771712\n")
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    (v1 / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert not cgroup.read_limits(v1).limited
    (v1 / "memory" / "memory.limit_in_bytes").write_text(f"{2**30}\n")
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("50000\n")
    limits = cgroup.read_limits(v1)
    assert (limits.version, limits.mem_limit, limits.cpu_cores) == (1, 2**30, 0.5)


def test_periodic_entries_fire_once_per_slot_however_often_asked() -> None:
    settings = settings_for(collect_interval=60, store_interval=300, alerts_interval=60)
    entries = {e.name: e for e in schedule.schedule(settings)}
    store = schedule.Due(entries["store_metrics"], "UTC")
    start = dt.datetime(2030, 1, 1, 12, 0, 7)
    fired = [store(start + dt.timedelta(seconds=s)) for s in range(0, 900, 60)]
    assert fired.count(True) == 3  # 12:00, 12:05, 12:10
    assert schedule.tick(settings) == 60
    assert schedule.tick(settings_for(collect_interval=2, store_interval=5)) == 1
    assert schedule.tick(settings_for(collect_interval=60, store_interval=300)) == 10  # alerts


def test_daily_cleanup_fires_at_the_hour_in_the_settings_timezone() -> None:
    entry = schedule.Entry("cleanup_old_metrics", daily_hour=2)
    due = schedule.Due(entry, "Europe/Paris")
    # 02:00 in Paris in January is 01:00 UTC.
    assert not due(dt.datetime(2030, 1, 1, 0, 59))
    assert due(dt.datetime(2030, 1, 1, 1, 0))
    assert not due(dt.datetime(2030, 1, 1, 1, 30))  # once per day
    assert due(dt.datetime(2030, 1, 2, 1, 0))


def test_missed_cleanup_is_due_at_next_start() -> None:
    now = dt.datetime(2030, 1, 5, 9, 0, tzinfo=dt.UTC).timestamp()
    slot = last_slot(now, 2, "UTC")
    assert slot == dt.datetime(2030, 1, 5, 2, 0, tzinfo=dt.UTC).timestamp()
    assert cleanup_due(None, now, 2, "UTC")
    assert cleanup_due(slot - 3600, now, 2, "UTC")  # ran yesterday, missed today's 02:00
    assert not cleanup_due(slot + 60, now, 2, "UTC")


def test_retry_delays_are_10_30_60() -> None:
    assert [schedule.retry_delay(left) for left in (3, 2, 1)] == [10, 30, 60]
