"""Unexpected errors inside the console: caught where they happen, never the end of the app.

A failure is logged, kept (the last few), and announced with a notice; `!` opens the newest
one's traceback. The traceback is the plain `traceback` text (never the locals of any frame)
with credentials masked, so it shows no password even when an exception message held a URL.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from console.core.redact import redact
from console.core.sanitize import first_line

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import Worker

KEPT = 20
LOG = logging.getLogger("stackwatch.tui")


@dataclass(frozen=True)
class Failure:
    """One unexpected error: where it happened, a one-line summary, the traceback text."""

    where: str
    summary: str
    traceback: str


def capture(where: str, error: BaseException, secrets: Iterable[str] = ()) -> Failure:
    """A Failure from an exception: no locals, URL passwords and the known `secrets` masked."""
    known = tuple(secrets)
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    summary = first_line(redact(f"{type(error).__name__}: {error}", known), 200)
    return Failure(where, summary, redact("".join(lines), known))


class Failures:
    """The app's record of unexpected errors (newest last)."""

    def __init__(self) -> None:
        self.kept: deque[Failure] = deque(maxlen=KEPT)

    def add(self, failure: Failure) -> bool:
        """Keep it; True when it is news (not the same error as the newest one), so an error
        that repeats on every poll or tick is announced and logged once."""
        newest = self.newest
        self.kept.append(failure)
        if newest is not None and (newest.where, newest.summary) == (
            failure.where,
            failure.summary,
        ):
            return False
        LOG.error("%s failed: %s", failure.where, failure.summary)
        return True

    @property
    def newest(self) -> Failure | None:
        return self.kept[-1] if self.kept else None


def record_worker_failure(node: DOMNode, where: str, worker: Worker) -> None:
    """Hand a failed thread worker's error to the app's record (the console goes on)."""
    record = getattr(node.app, "record_failure", None)
    if record is not None and worker.error is not None:
        record(where, worker.error)


def guarded(where: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """A handler of a widget, screen or app that records an unexpected error instead of
    raising it: Textual ends the app on an exception in a message handler."""

    def wrap(method: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(method)
        def run(node: DOMNode, *args: Any, **kwargs: Any) -> None:
            try:
                method(node, *args, **kwargs)
            except Exception as error:
                record = getattr(node.app, "record_failure", None)
                if record is None:
                    raise
                record(where, error)

        return run

    return wrap
