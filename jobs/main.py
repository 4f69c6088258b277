"""The consumer target: `huey_consumer jobs.main.huey` works, though `stackwatch worker` is
the supported way (it adds max-time, memory and the schema check). Built on first access."""

from __future__ import annotations

from typing import Any

_built: tuple | None = None


def __getattr__(name: str) -> Any:
    global _built
    if name not in ("huey", "ctx", "tasks"):
        raise AttributeError(name)
    if _built is None:
        from console.core.settings import SettingsError, load_settings
        from jobs.app import build

        try:
            settings = load_settings().settings
        except SettingsError as exc:  # one line, as `stackwatch worker` says it
            raise SystemExit(f"stackwatch: {exc}") from None
        _built = build(settings)
    return dict(zip(("huey", "ctx", "tasks"), _built, strict=True))[name]
