"""A feed whose module is imported on its first read, so start-up pays only for the dashboard."""

from __future__ import annotations

import importlib
import threading
from typing import Any


class Lazy:
    """Stands for `module.name(*args)`; builds it on first attribute use (thread-safe)."""

    def __init__(self, module: str, name: str, *args: Any) -> None:
        self._where = (module, name)
        self._args = args
        self._built: Any = None
        self._lock = threading.Lock()

    def _feed(self) -> Any:
        with self._lock:
            if self._built is None:
                module, name = self._where
                self._built = getattr(importlib.import_module(module), name)(*self._args)
            return self._built

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._feed(), attr)

    def close(self) -> None:
        """Close the feed if it was ever built (never builds it just to close it)."""
        with self._lock:
            built = self._built
        if built is not None:
            built.close()
