"""A hung or unreachable PostgreSQL never stops the worker's cache side, and each outage is
logged once, in one line, with one line when it is over.

A real worker process, real Redis, a real PostgreSQL database reached through a TCP proxy
process: SIGSTOP of the proxy hangs every connection (nothing answers, no server-side
timeout can fire); killing it makes the database unreachable (connection refused).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from console.core.cache import open_cache
from console.core.sources import parse_worker_store
from console.core.store.engine import make_engine, upgrade
from console.core.store.writes import performance_stored_until
from tests.jobs.helpers import settings_for
from tests.support.tcpproxy import Proxy
from tests.support.waits import wait_until

HOST = "hung"


class Beats:
    """Reads the worker's heartbeat: its time and the store state it publishes."""

    def __init__(self, redis_url: str) -> None:
        self.cache = open_cache(settings_for(redis_url=redis_url))

    def read(self) -> tuple[float, str]:
        beat = self.cache.heartbeat(HOST)
        if not beat.ok:
            return 0.0, "none"
        store = parse_worker_store(beat.payload.get("store"))
        return beat.ts or 0.0, store.status if store else "none"

    def advancing(self, status: str | set[str], beats: int) -> None:
        """Wait until the store state is `status` (one of) and the heartbeat moved `beats`
        times since."""
        wanted = {status} if isinstance(status, str) else status
        seen: list[float] = []

        def check() -> bool:
            ts, now_status = self.read()
            if now_status not in wanted:
                seen.clear()
            elif not seen or ts > seen[-1]:
                seen.append(ts)
            return len(seen) > beats

        wait_until(check, timeout=40)


@pytest.mark.slow
@pytest.mark.postgres
def test_heartbeat_keeps_flowing_while_the_database_hangs_or_is_down(
    redis_url: str, pg_url: str, tmp_path: Path
) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    url = make_url(pg_url)
    proxy = Proxy(url.host, url.port or 5432).start()
    env = {
        **os.environ,
        "STACKWATCH_REDIS_URL": redis_url,
        "STACKWATCH_DATABASE_URL": url.set(host="127.0.0.1", port=proxy.port).render_as_string(
            False
        ),
        "STACKWATCH_HOST": HOST,
        "STACKWATCH_COLLECT_INTERVAL": "1",
        "STACKWATCH_STORE_INTERVAL": "2",
        "STACKWATCH_DATA_DIR": str(tmp_path / "data"),
    }
    log_path = tmp_path / "worker.err"
    with log_path.open("w") as stderr:
        worker = subprocess.Popen(
            [sys.executable, "-m", "console", "worker", "--workers", "2"], env=env, stderr=stderr
        )
    beats = Beats(redis_url)
    try:
        beats.advancing("ok", 2)
        wait_until(lambda: performance_stored_until(engine, HOST) is not None, timeout=30)

        proxy.hang()  # every connection open, nobody answering
        beats.advancing("hung", 1)  # the heartbeat keeps moving, and says why rows wait
        # (a new connection through the stopped proxy times out connecting: "down" then)
        beats.advancing({"hung", "down"}, 3)
        proxy.resume()
        beats.advancing("ok", 1)
        resumed = performance_stored_until(engine, HOST) or 0
        wait_until(lambda: (performance_stored_until(engine, HOST) or 0) > resumed, timeout=30)

        proxy.stop()  # unreachable: connection refused
        beats.advancing("down", 3)
        proxy.start()
        beats.advancing("ok", 1)
        wait_until(lambda: "back after" in log_path.read_text().split("down since")[-1], timeout=30)
        assert worker.poll() is None
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=30)
        proxy.stop()
    text = log_path.read_text()
    lines = [line for line in text.splitlines() if "store: database" in line]
    assert len(lines) == 4, text[-3000:]
    assert re.search(r"store: database hung since \d\d:\d\d:\d\d \(no answer in 5 s\)", lines[0])
    assert re.search(r"store: database back after \d+ s; \d+ windows stored", lines[1])
    assert re.search(r"store: database down since \d\d:\d\d:\d\d \(.+\); rows will", lines[2])
    assert "back after" in lines[3]
    assert "Traceback" not in text, text[-3000:]
