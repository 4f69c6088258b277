"""The one boundary for outside data: bounded decoding and the `Invalid` reading.

Values read from Redis, the database, supervisord, a queue or a file pass through these pure
functions once, at the reader that fetched them. A value that does not fit raises `Unfit`
inside a parser, and the reader returns an `Invalid` (what, and why in one line) instead of
the frozen dataclass; nothing past that line ever sees raw outside data.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from console.core.sanitize import clean, first_line

MAX_JSON_BYTES = 1 << 20  # one cache entry / queue payload; larger is not ours
MAX_DEPTH = 32  # our payloads nest 3 deep; 32 leaves room for queue payloads
MAX_DECOMPRESSED = 4 << 20  # a compressed queue message may expand to this, no further
MAX_MAGNITUDE = 1e18  # bytes, rates and counts fit well inside; beyond is not a reading
MAX_TEXT = 1024


class Unfit(ValueError):
    """A value does not fit where it was read; its message is the one-line reason."""


@dataclass(frozen=True)
class Invalid:
    """A reading that could not be used: `what` was read (e.g. "perf"), `reason` says why."""

    what: str
    reason: str

    def __str__(self) -> str:
        return f"invalid: {self.reason}"


def invalid(what: str, exc: BaseException | str) -> Invalid:
    """An Invalid with a sanitized one-line reason."""
    return Invalid(clean(what, 200), first_line(str(exc), 200) or type(exc).__name__)


def kind_of(value: Any) -> str:
    """How a value reads in a reason: 'a list', 'a string', 'null', 'NaN'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "infinite"
    names = {dict: "an object", list: "a list", tuple: "a list", str: "a string"}
    names |= {bytes: "bytes", int: "an integer", float: "a number"}
    return names.get(type(value), f"a {type(value).__name__}")


# -- text and bytes --------------------------------------------------------------------------


def utf8(raw: bytes | str, what: str = "entry") -> str:
    """Strict UTF-8: undecodable bytes are unfit, not replaced (a key we would misread)."""
    if isinstance(raw, str):
        return raw
    try:
        return bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise Unfit(f"{what} is not UTF-8 text") from None


def text(value: Any, name: str, max_chars: int = MAX_TEXT) -> str:
    """A string field: a string, not longer than max_chars, made safe to print."""
    if not isinstance(value, str):
        raise Unfit(f"{name} is {kind_of(value)}, not text")
    if len(value) > max_chars:
        raise Unfit(f"{name} is {len(value)} characters long")
    return clean(value, max_chars)


def decompress(data: bytes, cap: int = MAX_DECOMPRESSED) -> bytes:
    """gzip or zlib data expanded to at most `cap` bytes; a bomb or damage is unfit."""
    inflater = zlib.decompressobj(wbits=47)  # 32 + 15: zlib or gzip header, detected
    try:
        out = inflater.decompress(data, cap + 1)
    except zlib.error as exc:
        raise Unfit(f"compressed payload is damaged ({first_line(str(exc))})") from None
    if len(out) > cap or inflater.unconsumed_tail:
        raise Unfit(f"compressed payload expands past {cap} bytes")
    return out


# -- numbers ---------------------------------------------------------------------------------


def number(value: Any, name: str, integer: bool = False) -> float | int:
    """A finite number within MAX_MAGNITUDE; an integer field also takes 3.0 but not 3.5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Unfit(f"{name} is {kind_of(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise Unfit(f"{name} is {kind_of(value)}")
    if abs(value) > MAX_MAGNITUDE:
        raise Unfit(f"{name} is out of range")
    if integer:
        if isinstance(value, float) and not value.is_integer():
            raise Unfit(f"{name} is {value!r}, not a whole number")
        return int(value)
    return float(value)


def optional_number(value: Any, name: str, integer: bool = False) -> float | int | None:
    return None if value is None else number(value, name, integer)


# -- JSON ------------------------------------------------------------------------------------

# A JSON string (escapes included), unrolled so a long one costs one regex pass.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_DEPTH_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_A_STEP = bytes(b for b in range(256) if b not in (1, 255))


def json_depth(text_: str) -> int:
    """How deep brackets nest, strings skipped: measured before decoding, in C-speed passes."""
    brackets = _JSON_STRING.sub("", text_)
    steps = brackets.encode("utf-8", "surrogatepass").translate(_DEPTH_STEP)
    wanted = steps.translate(None, _NOT_A_STEP)
    # As signed bytes the steps are +1 / -1: their running sum is the depth.
    return max(accumulate(memoryview(wanted).cast("b")), default=0)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise Unfit(f"key {clean(key, 60)!r} appears twice")
        found[key] = value
    return found


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise Unfit(f"number {token[:40]} is out of range")
    return value


def _no_constant(token: str) -> Any:
    raise Unfit(f"{token} is not a number")


def decode_json(
    raw: bytes | str, what: str = "entry", max_bytes: int = MAX_JSON_BYTES, depth: int = MAX_DEPTH
) -> Any:
    """JSON from outside: size, UTF-8, nesting depth, NaN/inf and duplicate keys checked."""
    if len(raw) > max_bytes:
        raise Unfit(f"{what} is {len(raw)} bytes (limit {max_bytes})")
    decoded = utf8(raw, what)
    if (found := json_depth(decoded)) > depth:
        raise Unfit(f"{what} nests {found} levels deep (limit {depth})")
    try:
        return json.loads(
            decoded,
            object_pairs_hook=_no_duplicates,
            parse_float=_finite_float,
            parse_constant=_no_constant,
        )
    except Unfit as exc:
        raise Unfit(f"{what}: {exc}") from None
    except (ValueError, RecursionError):
        raise Unfit(f"{what} is not JSON") from None


__all__ = [
    "Invalid",
    "Unfit",
    "decode_json",
    "decompress",
    "invalid",
    "json_depth",
    "kind_of",
    "number",
    "optional_number",
    "text",
    "utf8",
]
