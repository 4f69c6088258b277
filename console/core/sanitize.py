"""One sanitizer for every untrusted string that may reach the screen.

Rich/Textual strip only a few control codes; ESC, DEL and C1 (8-bit CSI/OSC) survive and a
terminal would obey them. Here every C0 control except TAB, plus DEL and C1, becomes a visible
escape (`\\x1b`), invalid UTF-8 becomes U+FFFD, and over-long text is cut with a count.
Markup is a separate matter: callers must still render with non-markup constructors.
"""

from __future__ import annotations

import re

DEFAULT_MAX_CHARS = 4096

# C0 except TAB (0x09), DEL, C1; also the Unicode line/paragraph separators and bidi overrides,
# which can reorder or hide what a user reads.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def to_text(data: str | bytes) -> str:
    """Decode bytes as UTF-8, never raising: invalid sequences become U+FFFD."""
    if isinstance(data, bytes):
        return data.decode("utf-8", errors="replace")
    return data


def clean(data: str | bytes | None, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Untrusted text made safe to print on one line: controls visible, length capped."""
    if data is None:
        return ""
    text = to_text(data)
    cut = 0
    if len(text) > max_chars:
        cut = len(text.encode("utf-8", errors="replace")) - len(
            text[:max_chars].encode("utf-8", errors="replace")
        )
        text = text[:max_chars]
    text = _CONTROL.sub(_visible, text)
    return f"{text}…[+{cut} bytes]" if cut else text


def clean_line(data: str | bytes, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """A log line: a trailing newline (and CR of CRLF) is dropped, the rest made visible."""
    text = to_text(data)
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):
        text = text[:-1]
    return clean(text, max_chars)


def first_line(data: str | bytes | None, max_chars: int = 200) -> str:
    """The first line of an error or traceback, sanitized (for tables and status lines)."""
    text = to_text(data or "").strip().splitlines()
    return clean(text[0] if text else "", max_chars)
