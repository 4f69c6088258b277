"""What `[keys]` may name: the console's binding ids and Textual's key names, without Textual.

Settings are checked by every command (the worker too), which must not import Textual, so the
ids the screens declare in their BINDINGS are listed here; tests/core/test_keymap.py fails when
the two lists differ, and checks the key names against Textual's own.
"""

from __future__ import annotations

import unicodedata

# Every `Binding(..., id=...)` in console/tui, the names a user remaps in [keys].
BINDING_IDS = frozenset(
    {
        "app.help", "app.host", "app.last_error", "app.quit",
        "app.cursor", "app.cursor_back", "app.cursor_forward", "app.cursor_live", "cursor.cancel",
        "screen.dashboard", "screen.processes", "screen.queues", "screen.logs", "screen.fleet",
        "screen.alerts", "alerts.history", "alerts.silence", "silence.cancel",
        "fleet.clear", "fleet.filter", "fleet.remove",
        "audit.close", "confirm.cancel", "help.close", "signal.cancel", "traceback.close",
        "dashboard.host", "dashboard.range_next", "dashboard.range_prev",
        "dashboard.series_first", "dashboard.series_last", "dashboard.series_next",
        "dashboard.series_prev",
        "logs.bottom", "logs.cancel", "logs.clear", "logs.errors", "logs.filter", "logs.json",
        "logs.next", "logs.page_back", "logs.pause", "logs.picker.cancel", "logs.picker.mark",
        "logs.previous",
        "logs.search", "logs.source", "logs.split", "logs.stream", "logs.top", "logs.warnings",
        "logs.wrap",
        "processes.audit", "processes.clear", "processes.clear_logs", "processes.filter",
        "processes.fold", "processes.hup", "processes.int", "processes.logs",
        "processes.restart", "processes.rolling_restart", "processes.scope", "processes.signal",
        "processes.start", "processes.stop", "processes.transitions", "processes.update",
        "transitions.close",
        "queues.delete", "queues.flush", "queues.refresh", "queues.restore", "queues.retry",
        "queues.revoke", "queues.traceback",
    }
)  # fmt: skip

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Textual's named keys (textual.keys.Keys without modifiers, and its aliases).
NAMED_KEYS = frozenset(
    {"escape", "enter", "return", "tab", "space", "backspace", "newline", "up", "down", "left",
     "right", "home", "end", "insert", "delete", "pageup", "pagedown", "at"}
    | {f"f{n}" for n in range(1, 25)}
)  # fmt: skip
# Textual names a few characters by a friendlier word than their Unicode name.
_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


def character_key(character: str) -> str:
    """Textual's key name for a printable character (`?` -> `question_mark`)."""
    if character.isalnum():
        return character
    name = unicodedata.name(character, character).lower().replace("-", "_").replace(" ", "_")
    return _REPLACEMENTS.get(name, name)


CHARACTER_KEYS = frozenset(character_key(chr(code)) for code in range(0x21, 0x7F))


def key_problem(key: str) -> str | None:
    """Why one key (`ctrl+r`, `question_mark`, `G`) is not a Textual key name, or None."""
    *modifiers, name = key.split("+") if len(key) > 1 else [key]
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        return f"{unknown[0][:20]!r} is not a modifier ({', '.join(sorted(MODIFIERS))})"
    if len(name) == 1 and name.isprintable() and not name.isspace():
        return None
    if name in NAMED_KEYS or name in CHARACTER_KEYS:
        return None
    return f"{name[:20]!r} is not a key name (e.g. ctrl+r, f5, question_mark, space)"


def keys_problem(keys: str) -> str | None:
    """Why a binding's key list (`r,ctrl+r`) is not valid, or None."""
    parts = [part.strip() for part in keys.split(",")]
    if not keys.strip() or not all(parts):
        return "must be one or more key names separated by commas"
    for part in parts:
        problem = key_problem(part)
        if problem:
            return problem
    return None
