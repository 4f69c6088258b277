"""Small builders shared by the job tests."""

from __future__ import annotations

from typing import Any

from console.core.settings import Settings


def settings_for(**values: Any) -> Settings:
    values.setdefault("host", "test-host")
    return Settings(**values)
