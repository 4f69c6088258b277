"""Keep what the worker never uses out of its memory: the one rule lives in console.core."""

from __future__ import annotations

from console.core.lean import skip_unused_drivers

__all__ = ["skip_unused_drivers"]
