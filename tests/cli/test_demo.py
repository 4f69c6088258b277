"""`stackwatch demo` headless: programs run, data reaches the store, nothing is left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil


def processes_mentioning(path: Path) -> list[int]:
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "environ"], ad_value=None):
        text = " ".join(proc.info["cmdline"] or []) + " ".join(
            (proc.info["environ"] or {}).values()
        )
        if str(path) in text and proc.pid != os.getpid():
            found.append(proc.pid)
    return found


def test_headless_demo_runs_collects_and_cleans_up(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "demo",
            "--embedded",
            "--no-history",
            "--headless",
            "6",
            "--interval",
            "2",
            "--dir",
            str(root),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = dict(line.split(None, 1) for line in done.stdout.splitlines()[1:-1] if line.strip())
    assert lines["stackwatch-worker:stackwatch-worker"].strip() == "RUNNING"
    assert lines["shop:demo-web"].strip() == "RUNNING"
    assert lines["payments:payments"].strip() in {"BACKOFF", "FATAL", "STARTING"}
    rows = int(lines["system_health_metrics"].split()[0])
    assert rows >= 1
    assert f"its files are in {root}" in done.stdout
    assert processes_mentioning(root) == []


def test_demo_clean_removes_its_files(tmp_path: Path) -> None:
    root = tmp_path / "gone"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "demo",
            "--embedded",
            "--headless",
            "1",
            "--clean",
            "--dir",
            str(root),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "its files are removed" in done.stdout
    assert not root.exists()
    assert processes_mentioning(root) == []
