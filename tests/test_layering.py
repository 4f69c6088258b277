"""The import rules, checked in fresh interpreters: the TUI never loads service clients, the
core never loads Textual or jobs, and the worker never loads Textual.

Each package is imported module by module in one interpreter; a banned module is charged to
the first module whose import loaded it (so every lazily loaded screen is checked too)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import console.core
import console.tui
import jobs

SERVICE_CLIENTS = ("redis", "sqlalchemy", "xmlrpc", "xmlrpc.client", "psutil")

CHECK = """
import importlib, json, sys
modules, banned = json.loads(sys.argv[1]), json.loads(sys.argv[2])
found = {}
for module in modules:
    before = {b for b in banned if b in sys.modules}
    importlib.import_module(module)
    new = sorted(b for b in banned if b in sys.modules and b not in before)
    if new:
        found[module] = new
print(json.dumps(found))
"""


def _modules(package) -> list[str]:
    prefix = package.__name__ + "."
    return [
        info.name
        for info in pkgutil.walk_packages(package.__path__, prefix)
        if ".migrations" not in info.name  # alembic scripts run only inside alembic
    ]


def _offenders(modules: list[str], banned: tuple[str, ...]) -> dict[str, list[str]]:
    args = [sys.executable, "-c", CHECK, json.dumps(modules), json.dumps(banned)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_tui_module_is_checked() -> None:
    names = _modules(console.tui)
    for wanted in ("console.tui.app", "console.tui.screens.processes", "console.tui.screens.logs"):
        assert wanted in names


def test_the_tui_loads_no_service_client() -> None:
    assert _offenders(["console.tui.app", *_modules(console.tui)], SERVICE_CLIENTS) == {}


def test_the_worker_does_not_load_textual() -> None:
    assert _offenders(["jobs.main", *_modules(jobs)], ("textual",)) == {}


@pytest.mark.parametrize("banned", [("textual",), ("jobs",)])
def test_core_loads_neither_textual_nor_jobs(banned: tuple[str, ...]) -> None:
    assert _offenders(_modules(console.core), banned) == {}
