"""The worker process carries only what it uses: memory is a promise (issue 9)."""

from __future__ import annotations

import subprocess
import sys

from console.cli import chosen_command, main


def test_the_command_word_is_found_without_parsing() -> None:
    assert chosen_command(["worker", "--workers", "3"]) == "worker"
    assert chosen_command(["--host", "worker", "config"]) == "config"  # a value, not a command
    assert chosen_command(["--config=x.toml", "db", "current"]) == "db"
    assert chosen_command(["--read-only"]) is None


def test_other_commands_still_parse(capsys) -> None:
    assert main(["--host", "h1", "config"]) == 0
    assert "h1" in capsys.readouterr().out


def test_the_worker_imports_no_console_alembic_or_unused_driver() -> None:
    code = """
import sys
from console.cli import build_parser, chosen_command
build_parser(chosen_command(["worker"])).parse_args(["worker"])
from jobs.lean import skip_unused_drivers
skip_unused_drivers("sqlite:////tmp/x.db")
import jobs.worker, huey
from console.core.store.engine import check_schema
names = ("textual", "alembic", "psycopg", "console.commands.logs")
loaded = [m for m in names if sys.modules.get(m)]
assert not loaded, loaded
"""
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_postgresql_store_keeps_its_driver() -> None:
    code = """
import sys
from jobs.lean import skip_unused_drivers
skip_unused_drivers("postgresql+psycopg://u@h/db")
import psycopg
"""
    subprocess.run([sys.executable, "-c", code], check=True)
