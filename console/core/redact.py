"""One place that hides secrets: URL passwords, `?password=` parameters, auth headers.

`mask_url` is for a URL we hold (settings, engines, clients); `redact` is for free text that
may quote one (exception messages, log lines, crash output), plus any secret we know by value.
Neither ever raises: a URL too broken to parse is masked by pattern instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import logging

MASK = "***"
# Query parameters that carry a credential (libpq's `password`/`sslpassword`, redis-py's).
SECRET_PARAMS = ("password", "passwd", "pass", "pwd", "sslpassword", "secret", "token")

# scheme://user:PASSWORD@ — the password runs to the last @ before the host part.
_USERINFO = re.compile(r"(?P<head>[a-zA-Z][\w+.-]*://[^\s:/@?#]*:)(?P<secret>[^\s/?#]*)(?=@)")
# ?password=... in a URL, password=... in a libpq DSN, up to the next separator.
_PARAM = re.compile(
    r"(?P<head>(?<![\w-])(?:" + "|".join(SECRET_PARAMS) + r")=)(?P<secret>[^&;#\s'\",)]*)",
    re.IGNORECASE,
)
# An Authorization header's value, or a Basic/Bearer token quoted in text.
_AUTH = re.compile(
    r"(?P<head>(?:\b(?:Basic|Bearer)\s+|authorization['\"]?\s*[:=]\s*['\"]?(?!Basic|Bearer)))"
    r"(?P<secret>[A-Za-z0-9+/=._~-]{4,})",
    re.IGNORECASE,
)


def _mask(match: re.Match[str]) -> str:
    return match.group("head") + (MASK if match.group("secret") else "")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Free text with URL passwords, secret parameters, tokens and known secrets masked."""
    for value in sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True):
        text = text.replace(value, MASK)
    text = _USERINFO.sub(_mask, text)
    text = _PARAM.sub(_mask, text)
    return _AUTH.sub(_mask, text)


def mask_url(url: str) -> str:
    """The URL with its password (userinfo and `?password=`) replaced by ***."""
    try:
        password = urlsplit(url).password
    except ValueError:  # a bracket missing, a bad port: fall back on the patterns
        password = None
    masked = redact(url)
    if password and password in masked.split("@", 1)[0]:
        masked = masked.replace(password, MASK)
    return masked


def url_password(url: str | None) -> str | None:
    """The password in a URL's userinfo, if any (to redact it by value elsewhere)."""
    if not url:
        return None
    try:
        return urlsplit(url).password
    except ValueError:
        match = _USERINFO.search(url)
        return match.group("secret") if match else None


def redacting_formatter(fmt: str, secrets: Iterable[str] = ()) -> logging.Formatter:
    """A log formatter whose every line (tracebacks included) goes through `redact`.

    Built on demand so that importing this module does not import logging (`status` is quick).
    """
    import logging

    known = tuple(secrets)

    class RedactingFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return redact(super().format(record), known)

    return RedactingFormatter(fmt)


def mask_target(target: str) -> str:
    """A notification target as it may be shown: scheme and host only (`json://host:8080/***`),
    since services put their tokens in the path (slack://TokenA/TokenB), the user part or the
    query; a `command:` target shows its program, never its arguments."""
    if target.startswith("command:"):
        words = target[len("command:") :].split()
        return "command:" + (words[0] if words else "") + (" ***" if len(words) > 1 else "")
    scheme, sep, rest = target.partition("://")
    if not sep:
        return MASK
    host = rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    hidden = "@" in rest.split("/", 1)[0] or len(rest) > len(host)
    return f"{scheme}://{host}" + ("/***" if hidden else "")
