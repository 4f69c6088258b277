"""The real console on its Fleet screen, in tmux (200x50), with every host of the bench: the
CPU and RSS of its process tree, as bench_console measures the dashboard."""

from __future__ import annotations

import os
import shutil
import sys
import time
from typing import Any

from tests.bench.bench_console import start, tmux, usage, wait_for


def real_console(redis_url: str, db_url: str, tmp: str, seconds: int) -> Any:
    """Usage of the console showing the Fleet screen, or None (no tmux, or it never showed)."""
    if shutil.which("tmux") is None:
        print("tmux is not installed: the real console was not measured")
        return None
    name = f"scale-fleet-{os.getpid()}"
    with open(f"{tmp}/stackwatch.toml", "w") as config:
        config.write("# the bench's console: everything from the environment\n")
    env = {
        "TERM": "xterm-256color",
        "HOME": os.environ.get("HOME", "/tmp"),
        "PATH": os.environ["PATH"],
        "STACKWATCH_CONFIG": f"{tmp}/stackwatch.toml",
        "STACKWATCH_DATA_DIR": tmp,
        "STACKWATCH_REDIS_URL": redis_url,
        "STACKWATCH_DATABASE_URL": db_url,
        "STACKWATCH_HOST": "bench-console",
    }
    pid, began = start(name, f"{sys.executable} -m console", env)
    try:
        if wait_for(name, "Performance", began, 30) is None:
            print("the console did not start:\n" + tmux("capture-pane", "-p", "-t", name))
            return None
        tmux("send-keys", "-t", name, "5")
        if wait_for(name, "sim-0", time.monotonic(), 20) is None:
            print("the Fleet screen did not show:\n" + tmux("capture-pane", "-p", "-t", name))
            return None
        time.sleep(3)
        return usage(pid, seconds)
    finally:
        tmux("kill-session", "-t", name)
