"""The demo stack: a directory, a settings file, a private supervisord and its programs.

Everything lives in one directory; `stop()` leaves no process behind (supervisord stops its
programs with their stop signals, then anything still alive is killed by process group).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path

from console.core.errors import StackwatchError
from console.core.hueys import worker_queue_name
from console.core.private_files import private_dir
from console.demo.files import DemoDir

PY = sys.executable
PROGRAMS: dict[str, str] = {
    # name -> module run with `python -m`; the worker is stackwatch's own.
    "demo-web": "console.demo.programs.web",
    "demo-jobs": "console.demo.programs.jobs",
    "chatty": "console.demo.programs.chatty",
    "payments": "console.demo.programs.crashy",
    "leaky-cache": "console.demo.programs.grower",
}
GROUPS = {"shop": ["demo-web", "demo-jobs"]}
WORKER = "stackwatch-worker"
LISTENER = "stackwatch-events"  # its stdout is supervisord's event protocol: not logged
ALL_PROGRAMS = (WORKER, LISTENER, *PROGRAMS)  # every name whose logs the demo writes


@dataclass(frozen=True)
class DemoConfig:
    root: Path
    redis_url: str | None
    interval: int = 5

    @property
    def socket(self) -> Path:
        return self.root / "supervisor.sock"

    @property
    def settings_file(self) -> Path:
        return self.root / "stackwatch.toml"

    @property
    def supervisord_conf(self) -> Path:
        return self.root / "supervisord.conf"

    @property
    def host(self) -> str:
        return f"{socket.gethostname()}-demo"


def settings_toml(cfg: DemoConfig) -> str:
    from console.demo.shop import QUEUE, shop_huey_path_for

    redis = f'redis_url = "{cfg.redis_url}"\n' if cfg.redis_url else ""
    # `#QUEUE`: the huey app's name, under which its failures are recorded
    shop_key = QUEUE if cfg.redis_url else f"sqlite:{shop_huey_path_for(cfg.root)}#{QUEUE}"
    worker_key = worker_queue_name(cfg.host) if cfg.redis_url else f"sqlite:{cfg.root / 'huey.db'}"
    return textwrap.dedent(
        f"""\
        # Written by `stackwatch demo`.
        host = "{cfg.host}"
        data_dir = "{cfg.root}"
        {redis}
        [collect]
        interval = {cfg.interval}
        store_interval = {cfg.interval * 6}

        [[supervisor]]
        name = "demo"
        url = "unix://{cfg.socket}"

        [[queue]]
        name = "shop"
        kind = "huey"
        key = "{shop_key}"
        warning = 20
        critical = 200

        [[queue]]
        name = "stackwatch"
        kind = "huey"
        key = "{worker_key}"

        [[log]]
        name = "supervisord"
        path = "{cfg.root / "logs" / "supervisord.log"}"
        """
    )


def program_section(cfg: DemoConfig, name: str, command: str, extra: str = "") -> str:
    logs = cfg.root / "logs"
    return textwrap.dedent(
        f"""\
        [program:{name}]
        command={command}
        directory={cfg.root}
        environment=STACKWATCH_CONFIG="{cfg.settings_file}",PYTHONUNBUFFERED="1"
        autostart=true
        autorestart=true
        startsecs=1
        startretries=3
        stopsignal=INT
        stopwaitsecs=10
        stopasgroup=true
        killasgroup=true
        stdout_logfile={logs}/{name}.out.log
        stderr_logfile={logs}/{name}.err.log
        stdout_logfile_maxbytes=1MB
        stdout_logfile_backups=3
        stderr_logfile_maxbytes=1MB
        stderr_logfile_backups=3
        {extra}"""
    )


def listener_section(cfg: DemoConfig) -> str:
    """stackwatch's event listener, as in supervisor/conf.d/stackwatch-events.conf."""
    return textwrap.dedent(
        f"""\
        [eventlistener:{LISTENER}]
        command={PY} -m console events listen
        events=PROCESS_STATE,PROCESS_GROUP,SUPERVISOR_STATE_CHANGE
        buffer_size=4096
        directory={cfg.root}
        environment=STACKWATCH_CONFIG="{cfg.settings_file}"
        autostart=true
        autorestart=true
        priority=-1
        stdout_logfile=NONE
        stderr_logfile={cfg.root / "logs"}/{LISTENER}.err.log
        """
    )


def supervisord_conf(cfg: DemoConfig) -> str:
    head = textwrap.dedent(
        f"""\
        [unix_http_server]
        file={cfg.socket}
        chmod=0700

        [supervisord]
        logfile={cfg.root / "logs" / "supervisord.log"}
        pidfile={cfg.root / "supervisord.pid"}
        childlogdir={cfg.root / "logs"}
        nodaemon=true
        umask=077

        [rpcinterface:supervisor]
        supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

        [supervisorctl]
        serverurl=unix://{cfg.socket}

        """
    )
    worker = program_section(cfg, WORKER, f"{PY} -m console worker --max-time 3600 --memory 256")
    sections = [worker] + [program_section(cfg, n, f"{PY} -m {m}") for n, m in PROGRAMS.items()]
    sections.append(listener_section(cfg))
    groups = "".join(f"\n[group:{g}]\nprograms={','.join(p)}\n" for g, p in GROUPS.items())
    return head + "\n".join(sections) + groups


def _seed_history(engine, settings, now: float) -> None:
    """The hour before start, in the store and in the cache's recent lists."""
    from console.core.cache import open_cache
    from console.demo.history import seed, seed_recent

    seed(engine, settings, now=now)
    cache = open_cache(settings)
    try:
        seed_recent(cache, settings, now=now)
    finally:
        cache.close()


class DemoStack:
    def __init__(
        self, cfg: DemoConfig, files: DemoDir | None = None, seed_history: bool = True
    ) -> None:
        self.cfg = cfg
        self.files = files or DemoDir.claim(cfg.root, ALL_PROGRAMS)
        self.seed_history = seed_history
        self.process: subprocess.Popen | None = None
        self.pids: set[int] = set()

    def prepare(self) -> None:
        """Write the files and bring the database schema up to date."""
        from console.core.settings import load_settings
        from console.core.store.engine import make_engine, upgrade

        private_dir(self.cfg.root / "logs")
        self.files.write(self.cfg.settings_file.name, settings_toml(self.cfg))
        self.files.write(self.cfg.supervisord_conf.name, supervisord_conf(self.cfg))
        settings = load_settings(str(self.cfg.settings_file), env={}).settings
        engine = make_engine(settings.resolved_database_url)
        try:
            upgrade(engine)
            if self.seed_history:
                _seed_history(engine, settings, now=time.time())
        finally:
            engine.dispose()

    def start(self, timeout: float = 20.0) -> None:
        self.prepare()
        log = open(self.cfg.root / "logs" / "supervisord.stdout", "ab")
        self.process = subprocess.Popen(
            [PY, "-m", "supervisor.supervisord", "-c", str(self.cfg.supervisord_conf)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl+C in the console does not reach the stack
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise StackwatchError(
                    f"the demo's supervisord exited: see {self.cfg.root / 'logs'}/supervisord.log"
                )
            if self._state() == "RUNNING":
                return
            time.sleep(0.1)
        raise StackwatchError("the demo's supervisord did not start in time")

    def rpc(self) -> xmlrpc.client.ServerProxy:
        from supervisor.xmlrpc import SupervisorTransport

        transport = SupervisorTransport(None, None, f"unix://{self.cfg.socket}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)

    def _state(self) -> str | None:
        try:
            return self.rpc().supervisor.getState()["statename"]
        except (OSError, xmlrpc.client.Error):
            return None

    def processes(self) -> list[dict]:
        infos = self.rpc().supervisor.getAllProcessInfo()
        self.pids.update(i["pid"] for i in infos if i["pid"])
        return infos

    def stop(self, timeout: float = 30.0) -> list[int]:
        """Stop supervisord and every program; returns pids that had to be killed."""
        if self.process is None:
            return []
        try:
            self.processes()
        except (OSError, xmlrpc.client.Error):
            pass  # supervisord already gone: fall through to the kill sweep
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        return self._sweep()

    def _sweep(self) -> list[int]:
        import psutil

        killed = []
        for pid in sorted(self.pids):
            try:
                proc = psutil.Process(pid)
                if self.cfg.root.as_posix() in " ".join(proc.environ().values()):
                    os.killpg(os.getpgid(pid), signal.SIGKILL)
                    killed.append(pid)
            except (psutil.NoSuchProcess, psutil.AccessDenied, ProcessLookupError):
                continue
        return killed
