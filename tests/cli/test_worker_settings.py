"""The worker checks settings with the same code as `stackwatch config`: what config accepts,
the worker runs with (so supervisord never crash-loops it); what config refuses, the worker
refuses with the same one line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from console.cli import main

EDGES = """\
data_dir = "{data}"
host = "edge-host"
timezone = "Pacific/Kiritimati"
[collect]
interval = 86400
store_interval = 604800
cleanup_hour = 23
[retention]
days = 36500
rollup_days = 36500
[worker]
workers = 64
max_time = 1
memory = 1048576
"""


def _worker(conf: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", "--config", str(conf), "worker"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def test_settings_at_every_edge_that_config_accepts_run_the_worker(tmp_path: Path) -> None:
    conf = tmp_path / "edges.toml"
    conf.write_text(EDGES.format(data=tmp_path / "data"))
    assert main(["--config", str(conf), "config"]) == 0
    assert main(["--config", str(conf), "db", "upgrade"]) == 0
    done = _worker(conf, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "stopping gracefully: ran for 1 s" in done.stderr


def test_the_worker_refuses_bad_settings_with_the_config_line(tmp_path: Path, capsys) -> None:
    conf = tmp_path / "bad.toml"
    conf.write_text('timezone = "Mars/Olympus"\n')
    assert main(["--config", str(conf), "config"]) == 2
    line = capsys.readouterr().err
    done = _worker(conf, tmp_path)
    assert done.returncode == 2
    assert done.stderr == line


def test_the_consumer_target_refuses_bad_settings_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import jobs.main; jobs.main.huey"],
        env={**os.environ, "STACKWATCH_TIMEZONE": "Mars/Olympus"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 1
    assert done.stderr == (
        "stackwatch: settings: STACKWATCH_TIMEZONE in the environment: must be a known time "
        "zone such as UTC or Europe/Amsterdam, got 'Mars/Olympus'\n"
    )
