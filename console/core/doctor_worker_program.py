"""Doctor's checks of the worker program's supervisord config: running, stopped by INT, rotated."""

from __future__ import annotations

import signal
from collections.abc import Iterator

from console.core.doctor_model import FAIL, OK, WARN, Check
from console.core.sanitize import clean


def _is_worker(name: str, command: str) -> bool:
    return ("stackwatch" in name and "worker" in name) or any(
        marker in command for marker in ("stackwatch worker", "console worker")
    )


def check_worker_program(label: str, processes: list, config: dict) -> Iterator[Check]:
    """The worker programs found on one supervisord, each with its config checked."""
    workers = [
        p
        for p in processes
        if _is_worker(p.name, str(config.get(p.full_name, {}).get("command", "")))
    ]
    if not workers:
        yield Check(
            "worker",
            f"{label}: worker program",
            WARN,
            "no stackwatch worker program found here",
            "copy supervisor/conf.d/stackwatch-worker.conf and run supervisorctl update",
        )
        return
    for proc in workers:
        name = clean(proc.full_name)
        running = proc.statename == "RUNNING"
        yield Check(
            "worker",
            f"worker program {name}",
            OK if running else FAIL,
            clean(proc.statename + (f": {proc.spawnerr}" if proc.spawnerr else "")),
            "" if running else f"supervisorctl start {name}",
        )
        yield from _check_worker_config(name, config.get(proc.full_name, {}))


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _check_worker_config(name: str, conf: dict) -> Iterator[Check]:
    if "stopsignal" in conf:
        good = conf["stopsignal"] == int(signal.SIGINT)
        shown = _signal_name(conf["stopsignal"])
        yield Check(
            "worker",
            f"{name} stopsignal",
            OK if good else FAIL,
            shown,
            "" if good else "set stopsignal=INT so running jobs finish on stop",
        )
    if "stdout_logfile_maxbytes" in conf:
        rotated = conf["stdout_logfile_maxbytes"] and conf.get("stderr_logfile_maxbytes", 1)
        yield Check(
            "worker",
            f"{name} log rotation",
            OK if rotated else WARN,
            "rotated" if rotated else "logs grow without limit",
            "" if rotated else "set stdout_logfile_maxbytes=10MB and *_backups=7",
        )
    if "killasgroup" in conf:
        ok = bool(conf["killasgroup"])
        yield Check(
            "worker",
            f"{name} killasgroup",
            OK if ok else WARN,
            str(ok).lower(),
            "" if ok else "set stopasgroup=true and killasgroup=true",
        )
