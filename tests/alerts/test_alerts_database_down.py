"""The program rules fire while the database is down: a real supervisord, worker, Redis and
PostgreSQL reached through a TCP proxy that is then killed. A program driven into FATAL during
the outage sends its message, read from the cache (the published process list, and the
listener's stream where it runs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from console.core.cache import open_cache
from console.core.sources import parse_worker_store
from console.core.store.engine import make_engine, upgrade
from tests.alerts.receivers import Webhook
from tests.alerts.test_supervised_alerts import fatal_titles, start_worker, stop
from tests.events.helpers import HOST, start_with_listener
from tests.jobs.helpers import settings_for
from tests.support.supervisord import Program
from tests.support.tcpproxy import Proxy
from tests.support.waits import wait_until


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("listener", [False, True], ids=["polled", "listener"])
def test_a_program_gone_fatal_is_sent_while_the_database_is_down(
    redis_url: str, pg_url: str, tmp_path: Path, supervisord_factory, listener: bool
) -> None:
    ok = tmp_path / "ok"
    ok.touch()
    flaky = Program(
        "flaky",
        f"sh -c 'test -f {ok} && exec sleep 600; exit 3'",
        {"startsecs": "1", "startretries": "1", "autorestart": "unexpected"},
    )
    env = {"STACKWATCH_REDIS_URL": redis_url}
    if listener:
        sv = start_with_listener(supervisord_factory, tmp_path, [flaky], env)
    else:
        sv = supervisord_factory([flaky])
    sv.wait_for_state("flaky", {"RUNNING"})
    upgrade(make_engine(pg_url))
    url = make_url(pg_url)
    proxy = Proxy(url.host, url.port or 5432).start()
    hook = Webhook()
    hook.start()
    env |= {
        "STACKWATCH_DATABASE_URL": url.set(host="127.0.0.1", port=proxy.port).render_as_string(
            False
        ),
        "STACKWATCH_SUPERVISOR_URL": sv.url,
        "STACKWATCH_HOST": HOST,
        "STACKWATCH_COLLECT_INTERVAL": "1",
        "STACKWATCH_ALERTS_INTERVAL": "1",
        "STACKWATCH_ALERTS_NOTIFY": hook.url,
        "STACKWATCH_DATA_DIR": str(tmp_path / "data"),
    }
    worker = start_worker(tmp_path, env)
    cache = open_cache(settings_for(redis_url=redis_url))

    def store_status() -> str:
        beat = cache.heartbeat(HOST)
        store = parse_worker_store(beat.payload.get("store")) if beat.ok else None
        return store.status if store else "none"

    try:
        wait_until(lambda: store_status() == "ok", "the worker using the database", 60)
        proxy.stop()
        wait_until(lambda: store_status() not in ("ok", "none"), "the worker seeing it down", 60)
        ok.unlink()
        sv.rpc().supervisor.signalProcess("flaky", "KILL")
        sv.wait_for_state("flaky", {"FATAL"})
        wait_until(lambda: fatal_titles(hook), "the FATAL alert with the database down", 60)
        still_down = store_status()
    finally:
        stop(worker)
        hook.stop()
        proxy.stop()
        cache.close()
    assert still_down not in ("ok", "none")
    assert fatal_titles(hook) == ["[FIRING] test-host"]
    body = next(m["message"] for m in hook.received if "program_fatal" in m["title"])
    assert "flaky:flaky is FATAL" in body
