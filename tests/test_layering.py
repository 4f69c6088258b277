"""The import rules, checked in fresh interpreters: the TUI never loads service clients, the
core never loads Textual or jobs, and the worker never loads Textual."""

from __future__ import annotations

import importlib.util
import pkgutil
import subprocess
import sys

import pytest

import console.core


def _loaded_after(module: str, banned: tuple[str, ...]) -> list[str]:
    code = (
        "import sys, importlib\n"
        f"importlib.import_module({module!r})\n"
        f"print(','.join(sorted(b for b in {banned!r} if b in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [name for name in done.stdout.strip().split(",") if name]


def test_the_tui_loads_no_service_client() -> None:
    banned = ("redis", "sqlalchemy", "xmlrpc", "xmlrpc.client", "psutil")
    assert _loaded_after("console.tui.app", banned) == []


def test_the_worker_does_not_load_textual() -> None:
    if importlib.util.find_spec("jobs.main") is None:
        pytest.skip("jobs.main is not on this branch yet")
    assert _loaded_after("jobs.main", ("textual",)) == []


def _core_modules() -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages(console.core.__path__, "console.core.")
        if ".migrations" not in info.name  # alembic scripts run only inside alembic
    ]


@pytest.mark.parametrize("module", _core_modules())
def test_core_loads_neither_textual_nor_jobs(module: str) -> None:
    assert _loaded_after(module, ("textual", "jobs")) == []
