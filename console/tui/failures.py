"""Unexpected errors inside the console: caught where they happen, never the end of the app.

A failure is logged, kept (the last few), and announced with a notice; `!` opens the newest
one's traceback. The traceback is the plain `traceback` text (never the locals of any frame)
with credentials masked, so it shows no password even when an exception message held a URL.
"""

from __future__ import annotations

import logging
import traceback
from collections import deque
from dataclasses import dataclass

from console.core.redact import redact
from console.core.sanitize import first_line

KEPT = 20
LOG = logging.getLogger("stackwatch.tui")


def mask_secrets(text: str) -> str:
    """The text with passwords in URLs, password= values and auth header values masked."""
    return redact(text)


@dataclass(frozen=True)
class Failure:
    """One unexpected error: where it happened, a one-line summary, the traceback text."""

    where: str
    summary: str
    traceback: str


def capture(where: str, error: BaseException) -> Failure:
    """A Failure from an exception: no locals, secrets masked."""
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    summary = first_line(mask_secrets(f"{type(error).__name__}: {error}"), 200)
    return Failure(where, summary, mask_secrets("".join(lines)))


class Failures:
    """The app's record of unexpected errors (newest last)."""

    def __init__(self) -> None:
        self.kept: deque[Failure] = deque(maxlen=KEPT)

    def add(self, failure: Failure) -> None:
        self.kept.append(failure)
        LOG.error("%s failed: %s", failure.where, failure.summary)

    @property
    def newest(self) -> Failure | None:
        return self.kept[-1] if self.kept else None
