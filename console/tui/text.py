"""The one rule for outside text on screen: sanitized, and never read as markup.

Anything that did not come from our own source code (host and program names, queue names,
log lines, exception text, values read from Redis, SQL, supervisord or a queue) reaches a
widget only through `outside()` (a Rich Text: no markup, controls made visible), or through
`outside_markup()` where a Textual API accepts nothing but a markup string (palette help).
"""

from __future__ import annotations

from rich.text import Text
from textual.markup import escape

from console.core.sanitize import DEFAULT_MAX_CHARS, clean


def outside(value: object, max_chars: int = DEFAULT_MAX_CHARS, style: str = "") -> Text:
    """Outside text as a literal, one-line Text: controls visible, length capped, no markup."""
    return Text(clean(None if value is None else str(value), max_chars), style=style)


def outside_markup(value: object, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Outside text for an API that parses markup: sanitized, then every tag escaped."""
    return escape(clean(None if value is None else str(value), max_chars))


def outside_lines(value: object, max_chars: int = 20_000) -> Text:
    """Multi-line outside text (a traceback): each line sanitized, line breaks kept."""
    text = "" if value is None else str(value)
    lines = [clean(line, max_chars) for line in text[:max_chars].splitlines()]
    return Text("\n".join(lines))
