"""A private, real supervisord for tests: writes a config, starts it, waits, stops it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import xmlrpc.client
from dataclasses import dataclass, field
from pathlib import Path

from supervisor.xmlrpc import SupervisorTransport

from tests.support.waits import wait_until


@dataclass
class Program:
    """One [program:x] section; `options` are extra `key=value` lines."""

    name: str
    command: str
    options: dict[str, str] = field(default_factory=dict)

    def section(self, logdir: Path) -> str:
        lines = [
            f"[program:{self.name}]",
            f"command={self.command}",
            "autostart=true",
            "startsecs=0",
            "startretries=1",
            "stopwaitsecs=5",
            f"stdout_logfile={logdir}/{self.name}.out.log",
            f"stderr_logfile={logdir}/{self.name}.err.log",
        ]
        defaults = {line.split("=", 1)[0]: i for i, line in enumerate(lines) if "=" in line}
        for key, value in self.options.items():
            if key in defaults:
                lines[defaults[key]] = f"{key}={value}"
            else:
                lines.append(f"{key}={value}")
        return "\n".join(lines)


class Supervisord:
    """Runs `supervisord -n` on a unix socket inside `root`; use as a context manager."""

    def __init__(self, root: Path, programs: list[Program], extra: str = "") -> None:
        self.root = root
        self.programs = programs
        self.extra = extra
        self.socket = root / "supervisor.sock"
        self.logdir = root / "logs"
        self.conf = root / "supervisord.conf"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def write_config(self) -> None:
        self.logdir.mkdir(parents=True, exist_ok=True)
        head = textwrap.dedent(
            f"""\
            [unix_http_server]
            file={self.socket}
            chmod=0700

            [supervisord]
            logfile={self.logdir}/supervisord.log
            pidfile={self.root}/supervisord.pid
            childlogdir={self.logdir}
            nodaemon=true
            loglevel=info

            [rpcinterface:supervisor]
            supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

            [supervisorctl]
            serverurl=unix://{self.socket}
            """
        )
        body = "\n\n".join(p.section(self.logdir) for p in self.programs)
        self.conf.write_text(head + "\n" + body + "\n" + self.extra)

    def start(self, timeout: float = 15.0) -> Supervisord:
        self.write_config()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "supervisor.supervisord", "-c", str(self.conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.rpc().supervisor.getState()["statename"] == "RUNNING":
                    return self
            except (OSError, xmlrpc.client.Fault):
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"supervisord exited: see {self.logdir}/supervisord.log")
            time.sleep(0.05)
        raise RuntimeError("supervisord did not come up")

    def rpc(self) -> xmlrpc.client.ServerProxy:
        """A raw proxy for test set-up and checks (not the client under test)."""
        transport = SupervisorTransport(None, None, f"unix://{self.socket}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)

    def wait_for_state(self, name: str, states: set[str], timeout: float = 15.0) -> dict:
        def reached() -> dict | None:
            info = self.rpc().supervisor.getProcessInfo(name)
            return info if info["statename"] in states else None

        return wait_until(reached, f"{name} to reach {sorted(states)}", timeout)

    def signal(self, signum: int) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signum)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def __enter__(self) -> Supervisord:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
