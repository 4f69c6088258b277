"""What the user looks for: plain text, /regex/, !inverted; the level presets; JSON pretty.

A preset is an ordinary regex the user can read and edit (it is written so that `grep -E`
accepts it too). Whole-file work goes through console.core.logs.scan, the one scan engine.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import re2

from console.core.logs.matcher import PatternError, PatternSpec, matcher_for
from console.core.sanitize import clean


def _level_rule(upper: list[str]) -> str:
    """Level words as Python logging, huey, Monolog (`local.ERROR:`) and JSON/logfmt write them."""
    words = "|".join(upper)
    lower = "|".join(w.lower() for w in upper)
    any_case = "|".join(x for w in upper for x in (w, w.lower(), w.title()))
    return "|".join(
        [
            rf"\b({words})\b",  # ERROR, [ERROR], local.ERROR:, ERROR:huey
            rf"\b({lower}):",  # error: (compilers, Go, Rust, shell tools)
            rf'"(level|severity|levelname|lvl)" *: *"({any_case})"',  # JSON
            rf'\b(level|severity|lvl)="?({any_case})\b',  # logfmt
        ]
    )


_ERROR_WORDS = ["ERROR", "CRITICAL", "FATAL", "EMERGENCY", "ALERT", "PANIC"]
_TRACEBACK = r"^Traceback \(most recent call last\):|^[A-Za-z_][A-Za-z0-9_.]*(Error|Exception): "
PRESETS: dict[str, str] = {
    "errors": _level_rule(_ERROR_WORDS) + "|" + _TRACEBACK,
    "warnings": _level_rule([*_ERROR_WORDS, "WARNING", "WARN"]) + "|" + _TRACEBACK,
}


class QueryError(ValueError):
    """A search the user typed cannot be used (one line, for the user)."""


class TextPattern:
    """A query over decoded lines (the pane's own lines): RE2, or `re` when RE2 cannot."""

    def __init__(self, source: str, ignore_case: bool) -> None:
        options = re2.Options()
        options.case_sensitive = not ignore_case
        options.log_errors = False
        options.never_capture = True
        try:
            self._pattern = re2.compile(re.sub(r"(?<!\\)((?:\\\\)*)\\Z", r"\1$", source), options)
        except re2.error:
            flags = re.IGNORECASE if ignore_case else re.NOFLAG
            try:
                self._pattern = re.compile(source, flags)
            except re.error as exc:
                raise QueryError(f"not a valid regular expression: {exc}") from None

    def search(self, text: str):
        return self._pattern.search(text)

    def finditer(self, text: str):
        return self._pattern.finditer(text)


@dataclass(frozen=True)
class Query:
    """What to look for. Case: as given, else insensitive unless the text has a capital."""

    text: str
    regex: bool = False
    invert: bool = False
    ignore_case: bool | None = None

    @classmethod
    def preset(cls, name: str) -> Query:
        return cls(PRESETS[name], regex=True, ignore_case=False)

    @property
    def source(self) -> str:
        return self.text if self.regex else re.escape(self.text)

    @property
    def case_insensitive(self) -> bool:
        if self.ignore_case is not None:
            return self.ignore_case
        return self.text == self.text.lower()  # smart case, as in ripgrep and less -i

    def spec(self) -> PatternSpec:
        """The pattern as the scan engine takes it; raises QueryError when unusable."""
        spec = PatternSpec(self.source, self.case_insensitive, self.invert)
        try:
            matcher_for(spec)
        except PatternError as exc:
            raise QueryError(str(exc)) from None
        return spec

    @property
    def engine_note(self) -> str | None:
        """Set when the pattern needs Python's `re` (no time guarantee): say it on screen."""
        return matcher_for(self.spec()).engine_note

    def for_text(self) -> TextPattern:
        """The pattern for lines already decoded and sanitized (in-pane highlight, filter)."""
        return TextPattern(self.source, self.case_insensitive)

    def keeps(self, pattern: TextPattern, line: str) -> bool:
        """Whether a filter with this query shows the line."""
        return (pattern.search(line) is None) == self.invert

    @property
    def preset_name(self) -> str | None:
        """`errors preset` when the filter is a preset as shipped (edited, it is just a regex)."""
        for name, text in PRESETS.items():
            if self.regex and self.text == text:
                return f"{'not ' if self.invert else ''}{name} preset"
        return None

    def describe(self) -> str:
        """The filter as the user would type it again."""
        text = f"/{self.text}/" if self.regex else self.text
        return f"!{text}" if self.invert else text


def parse_query(text: str) -> Query:
    """What the user typed: `!` first inverts, `/…/` is a regex, anything else plain text."""
    invert = text.startswith("!")
    if invert:
        text = text[1:]
    regex = len(text) >= 2 and text.startswith("/") and text.endswith("/")
    if regex:
        text = text[1:-1]
    if not text:
        raise QueryError("nothing to look for")
    query = Query(text, regex=regex, invert=invert)
    query.spec()  # raises QueryError for a bad regex now, not later
    query.for_text()
    return query


def pretty_json(line: str) -> list[str] | None:
    """A JSON object or array line as indented, sanitized lines; None if it is not JSON."""
    stripped = line.strip()
    if not stripped or stripped[0] not in "{[":
        return None
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    # json.loads turns "\u001b" into a real ESC: sanitize every line it produces.
    return [clean(part) for part in json.dumps(value, indent=2, ensure_ascii=False).splitlines()]
