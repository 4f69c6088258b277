"""What each action did: the supervisorctl command, then one line per process."""

from __future__ import annotations

from textual.widgets import RichLog

from console.core.supervisor.models import ActionResult
from console.tui.text import outside


class ProcessActionLog(RichLog):
    """Untrusted names were sanitized in core; here they are written as Text, never markup."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_lines=500, wrap=False, markup=False, highlight=False, **kwargs)

    def note(self, line: str, kind: str = "info") -> None:
        self.write(outside(line, 2000, style=_STYLE.get(kind, "")))

    def result(self, result: ActionResult) -> None:
        if result.action == "audit":
            self.note(result.error, "warn")
            return
        where = f"[{result.endpoint}] " if result.endpoint else ""
        self.note(f"{where}$ {result.command}", "command")
        if result.error:
            self.note(f"  error: {result.error}", "fail")
        for o in result.outcomes:
            mark = "ok  " if o.ok else "FAIL"
            self.note(f"  {mark} {o.target}  {o.state}  {o.message}", "ok" if o.ok else "fail")


# Styles by meaning; the log shows words first, colour only helps.
_STYLE = {"command": "bold", "fail": "bold", "warn": "italic"}
