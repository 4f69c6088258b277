"""A real supervisord running the shipped event listener section, and waiting helpers."""

from __future__ import annotations

import configparser
import sys
import time
from pathlib import Path

from console.core import keys
from console.core.cache import Cache
from console.core.events.model import ProcessEvent, from_item
from tests.support.supervisord import Program

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "supervisor" / "conf.d" / "stackwatch-events.conf"
LISTENER = "stackwatch-events"
HOST = "test-host"


def listener_section(logdir: Path, env: dict[str, str]) -> str:
    """The shipped [eventlistener:stackwatch-events] with this machine's paths."""
    parser = configparser.RawConfigParser(inline_comment_prefixes=(";",))
    parser.read_string(CONF.read_text())
    options = dict(parser[f"eventlistener:{LISTENER}"])
    options["command"] = options["command"].replace(
        "/opt/stackwatch/.venv/bin/stackwatch", f"{sys.executable} -m console"
    )
    options.pop("user", None)
    options["directory"] = str(ROOT)
    options["stderr_logfile"] = str(logdir / "events.err.log")
    options["environment"] = ",".join(f'{k}="{v}"' for k, v in env.items())
    body = "\n".join(f"{k}={v}" for k, v in options.items())
    return f"\n[eventlistener:{LISTENER}]\n{body}\n"


def start_with_listener(factory, tmp: Path, programs: list[Program], env: dict[str, str]):
    """supervisord with `programs` and the listener, once the listener is RUNNING."""
    env = {"STACKWATCH_HOST": HOST, "STACKWATCH_DATA_DIR": str(tmp / "data"), **env}
    logdir = tmp / "listener-logs"
    logdir.mkdir(parents=True, exist_ok=True)
    sv = factory(programs, extra=listener_section(logdir, env))
    sv.wait_for_state(f"{LISTENER}:{LISTENER}", {"RUNNING"}, timeout=30)
    return sv


def stream_events(cache: Cache, program: str | None = None) -> list[ProcessEvent]:
    entries = cache.stream_after(keys.process_events(HOST), "0-0", 100_000)
    events = [e for entry in entries if (e := from_item(entry.item)) is not None]
    return [e for e in events if program is None or e.program == program]


def wait_for(check, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} not met within {timeout}s")
