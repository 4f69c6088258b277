"""The console's side of the fleet benchmark, in a process of its own so its CPU is its own.

    python -m tests.bench.fleet_console REDIS_URL SECONDS INTERVAL MODE

Polls as the console does, every INTERVAL seconds for SECONDS: MODE `fleet` reads the fleet
feed (every host in one poll), `dashboard` reads the dashboard's latest values of every host
one after the other (what a console without the fleet feed has to do). Prints one JSON line:
each poll's wall time and the process's CPU seconds over the polling (start-up excluded).
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    url, seconds, interval, mode = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    from console.core.feeds.connections import Connections
    from console.core.settings import Settings

    connections = Connections(Settings(redis_url=url, host="bench-console"))
    if mode == "fleet":
        from console.core.feeds.fleet import LiveFleet

        fleet = LiveFleet(connections)

        def poll() -> int:
            view = fleet.poll()
            if view.error:
                raise SystemExit(f"fleet poll failed: {view.error}")
            return len(view.rows)
    else:
        from console.core.feeds.dashboard_live import LiveDashboard

        dashboard = LiveDashboard(connections)

        def poll() -> int:
            hosts = connections.cache().latest_hosts("health")
            for host in hosts:
                reading = dashboard.read_cache(host)
                if not reading.ok:
                    raise SystemExit(f"dashboard read failed: {reading.reason}")
            return len(hosts)

    poll()  # connect and import before measuring
    times, rows = [], 0
    cpu0, end = time.process_time(), time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        rows = poll()
        times.append(time.perf_counter() - started)
        time.sleep(max(0.0, interval - times[-1]))
    cpu = time.process_time() - cpu0
    print(json.dumps({"times": times, "cpu_s": cpu, "seconds": seconds, "rows": rows}))
    connections.close()


if __name__ == "__main__":
    main()
