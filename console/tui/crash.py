"""The console's crash dump: the traceback without local variables, secrets masked.

Textual's own dump (`App._fatal_error`) renders `rich.traceback.Traceback(show_locals=True)`,
which prints every frame's locals: the settings, clients and URLs with their passwords. Ours
keeps the frames and source lines (what a bug report needs) and drops the locals; exception
messages go through the one redaction helper, with the passwords we hold masked by value.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import rich
from rich.console import RenderableType
from rich.text import Text
from rich.traceback import Trace, Traceback

from console.core.redact import redact


def _redact_trace(trace: Trace, secrets: tuple[str, ...]) -> None:
    for stack in trace.stacks:
        stack.exc_value = redact(stack.exc_value, secrets)
        stack.notes = [redact(note, secrets) for note in stack.notes]
        for frame in stack.frames:
            frame.locals = None
        for group in stack.exceptions:
            _redact_trace(group, secrets)


def crash_report(secrets: Iterable[str] = ()) -> RenderableType:
    """The exception being handled, as a traceback with no locals and no secrets."""
    exc_type, exc_value, tb = sys.exc_info()
    if exc_type is None or exc_value is None:
        return Text("stackwatch stopped on an unexpected error")
    trace = Traceback.extract(exc_type, exc_value, tb, show_locals=False)
    _redact_trace(trace, tuple(secrets))
    return Traceback(trace, show_locals=False, width=None, suppress=[rich])
