"""Notification targets: apprise URLs (`json://host/path`, `mailto://...`, `ntfy://...`) or
`command:/path/to/program args` (our JSON on its stdin). Checked once, when settings are read."""

from __future__ import annotations

import re
import shlex
from typing import Any

COMMAND = "command:"
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]{1,31}://\S+$")


def check_target(value: Any) -> str:
    """One target, stripped (ValueError naming what is wrong, never quoting the target)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("each target must be a non-empty string")
    target = value.strip()
    if any(ord(c) < 0x20 or c == "\x7f" for c in target):
        raise ValueError("a target must not hold control codes")
    if target.startswith(COMMAND):
        try:
            words = shlex.split(target[len(COMMAND) :])
        except ValueError:
            raise ValueError("a command target must be shell words: command:/prog arg") from None
        if not words:
            raise ValueError("a command target must name a program: command:/path/to/prog")
        return target
    if not _SCHEME.match(target):
        raise ValueError("a target must be a URL such as json://host:port/path or command:/path")
    return target


def check_targets(value: Any) -> tuple[str, ...]:
    """A list of targets (TOML) or comma-separated text (the environment)."""
    if isinstance(value, str):
        items: list[Any] = [part for part in value.split(",") if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise ValueError("must be a list of target URLs")
    return tuple(check_target(item) for item in items)


def command_words(target: str) -> list[str]:
    """The argv of a `command:` target."""
    return shlex.split(target[len(COMMAND) :])
