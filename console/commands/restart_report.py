"""What `stackwatch restart` prints and audits, whether supervisord was asked directly or
through the host's worker: one line per endpoint, one per program; the exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from console.core.settings import Settings


def report(settings: Settings, results: Sequence[Any]) -> int:
    """Print each result and its outcomes, audit them; 0 when all went well, else 1."""
    from console.core.supervisor.audit import audit_results

    for result in results:
        print(f"{result.endpoint}: {result.summary()}")
        for outcome in result.outcomes:
            mark = "ok  " if outcome.ok else "FAIL"
            print(f"  {mark} {outcome.target:<30} {outcome.state:<9} {outcome.message}")
    warning = audit_results(settings, results)
    if warning:
        print(f"stackwatch: {warning}", file=sys.stderr)
    return 0 if all(r.ok for r in results) else 1
