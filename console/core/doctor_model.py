"""What a doctor check says: one result with its one-line fix."""

from __future__ import annotations

from dataclasses import dataclass

from console.core import formatting

OK, WARN, FAIL = "ok", "warn", "fail"


@dataclass(frozen=True)
class Check:
    area: str
    name: str
    status: str
    detail: str
    fix: str = ""


def age_text(seconds: float | None) -> str:
    """'45s ago', '5m ago', 'never': the one style (console.core.formatting)."""
    return formatting.ago(seconds)
