"""Fleet hosts for tests: each a real supervisord with one program and a real worker process
(`python -m console worker`) reporting to one shared Redis and one database under its own host
name, with nothing of it configured in the console."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.supervisord import Program, Supervisord

REPO = Path(__file__).resolve().parents[2]


def chatty_program(host: str) -> Program:
    """A program that says which host it runs on, then waits."""
    return Program("app", f"/bin/sh -c 'echo hello from {host}; exec sleep 100000'")


@dataclass
class FleetHost:
    """One host of the fleet: its supervisord and its worker (started and stopped at will)."""

    name: str
    supervisord: Supervisord
    redis_url: str
    database_url: str
    root: Path
    read_only: bool = False
    collect_interval: int = 1
    worker: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def log(self) -> Path:
        return self.root / f"worker-{self.name}.err"

    def start_worker(self) -> FleetHost:
        self.env = {
            **os.environ,
            "STACKWATCH_REDIS_URL": self.redis_url,
            "STACKWATCH_DATABASE_URL": self.database_url,
            "STACKWATCH_HOST": self.name,
            "STACKWATCH_SUPERVISOR_URL": f"main={self.supervisord.url}",
            "STACKWATCH_COLLECT_INTERVAL": str(self.collect_interval),
            "STACKWATCH_STORE_INTERVAL": "60",
            "STACKWATCH_READ_ONLY": "true" if self.read_only else "false",
            "STACKWATCH_DATA_DIR": str(self.root / f"data-{self.name}"),
            "PYTHONPATH": str(REPO),
        }
        with self.log.open("a") as stderr:
            self.worker = subprocess.Popen(
                [sys.executable, "-m", "console", "worker", "--workers", "1"],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                cwd=self.root,
            )
        return self

    def stop_worker(self) -> None:
        """SIGINT (huey's graceful stop), SIGKILL when it does not go."""
        if self.worker is None or self.worker.poll() is not None:
            return
        self.worker.send_signal(signal.SIGINT)
        try:
            self.worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.worker.kill()
            self.worker.wait(timeout=5)

    def pid(self, program: str = "app:app") -> int:
        return int(self.supervisord.rpc().supervisor.getProcessInfo(program)["pid"])
