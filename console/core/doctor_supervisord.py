"""Doctor's supervisord checks: reachable, private, running our worker and our listener."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from console.core.doctor_model import FAIL, OK, WARN, Check
from console.core.doctor_worker_program import check_worker_program
from console.core.errors import SourceUnavailable
from console.core.sanitize import clean
from console.core.settings import Settings

if TYPE_CHECKING:
    from console.core.supervisor.client import SupervisorClient


def _through_worker(settings: Settings) -> Check | None:
    """No supervisord URL for this host: is its worker's process list fresh? (None when
    its worker published none either)"""
    import time

    from console.core.feeds.processes_remote import remote_snapshot
    from console.core.redis_client import redis_client

    client = redis_client(settings.redis_url or "", settings.rpc_timeout)
    try:
        snapshot, _ = remote_snapshot(client, settings.host, time.time())
    finally:
        client.close()
    label = "through the worker"
    down = [e for e in snapshot.endpoints if not e.ok]
    if down and down[0].kind == "missing":
        return None
    if down:
        fix = f"start the worker on {settings.host}, or configure its supervisord URL here"
        return Check("supervisord", label, FAIL, clean(down[0].message, 300), fix)
    running = sum(p.statename == "RUNNING" for p in snapshot.processes)
    words = f"{running}/{len(snapshot.processes)} programs running, as its worker publishes"
    return Check("supervisord", label, OK, words)


def check_supervisors(settings: Settings) -> Iterator[Check]:
    from console.core.supervisor.client import SupervisorClient
    from console.core.supervisor.errors import SupervisorFault

    fleet = _through_worker(settings) if not settings.supervisors and settings.redis_url else None
    if fleet is not None:  # a fleet host: what its worker publishes
        yield fleet
        return
    if not settings.supervisors:
        yield Check(
            "supervisord",
            "endpoints",
            WARN,
            "no supervisord configured",
            "set STACKWATCH_SUPERVISOR_URL=unix:///run/supervisor.sock (or [[supervisor]])",
        )
        return
    for endpoint in settings.supervisors:
        client = SupervisorClient(endpoint, timeout=settings.rpc_timeout, read_only=True)
        label = f"supervisord {endpoint.name}"
        try:
            state = client.state()
            processes = client.processes()
            config = client.config_info()
        except (SourceUnavailable, SupervisorFault) as exc:
            yield Check(
                "supervisord",
                label,
                FAIL,
                clean(str(exc)),
                "start supervisord, or fix the URL / socket permissions",
            )
            continue
        finally:
            client.close()
        yield Check(
            "supervisord",
            label,
            OK if state == "RUNNING" else FAIL,
            f"{state}, {len(processes)} programs ({client.shown_url})",
            "" if state == "RUNNING" else "wait for supervisord to finish starting",
        )
        yield _check_exposure(label, client)
        yield from check_worker_program(label, processes, config)
        yield _check_listener(endpoint.name, processes)


def _check_listener(endpoint: str, processes: list) -> Check:
    from console.core.events.presence import INSTALL_FIX, LISTENER, listener_state

    state = listener_state(processes, endpoint)
    name = f"{endpoint}: event listener"
    if state is None:
        why = f"no [eventlistener:{LISTENER}]: restarts are counted from polls, once a minute"
        return Check("events", name, WARN, why, INSTALL_FIX)
    if state != "RUNNING":
        why = f"{LISTENER} is {state}: restarts are counted from polls, once a minute"
        fix = f"supervisorctl start {LISTENER}:*, and read its stderr log"
        return Check("events", name, WARN, why, fix)
    return Check("events", name, OK, f"{LISTENER} RUNNING: every state change is recorded")


def _check_exposure(label: str, client: SupervisorClient) -> Check:
    """FAIL when the XML-RPC is reachable off this machine or without a password."""
    from console.core.supervisor.exposure import FIX, find_exposure

    try:
        problems = find_exposure(client)
    finally:
        client.close()
    if problems:
        return Check("supervisord", f"{label} exposure", FAIL, clean("; ".join(problems)), FIX)
    how = "unix socket" if client.url.startswith("unix://") else "loopback with a password"
    return Check(
        "supervisord", f"{label} exposure", OK, f"XML-RPC over the {how}; no open inet server found"
    )
