"""No thread worker may take the console down: Textual's default (`exit_on_error=True`) ends
the app on the first exception in a worker. Every thread worker under console/tui says
`exit_on_error=False`, and its failure is recorded and announced instead."""

from __future__ import annotations

import ast
from pathlib import Path

import console.tui

ROOT = Path(console.tui.__file__).parent


def _keywords(call: ast.Call) -> dict[str, object]:
    return {
        k.arg: k.value.value for k in call.keywords if k.arg and isinstance(k.value, ast.Constant)
    }


def _thread_workers() -> list[tuple[str, int, dict[str, object]]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in ("work", "run_worker") and _keywords(node).get("thread") is True:
                found.append((f"{path.relative_to(ROOT)}", node.lineno, _keywords(node)))
    return found


def test_every_thread_worker_leaves_the_app_running() -> None:
    workers = _thread_workers()
    assert len(workers) >= 8  # the scan sees them (screens, panes, the poller)
    exiting = [
        f"{path}:{line}" for path, line, kw in workers if kw.get("exit_on_error") is not False
    ]
    assert exiting == []
