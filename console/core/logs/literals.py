"""What a bytes regex needs in a line: literal needles to pre-scan for before running it.

Python's `re` only scans fast for a literal prefix; an alternation (`ERROR|CRITICAL`) or a
pattern that starts with a class makes it try every position. From the parsed pattern we take
sets of literals such that every match contains one literal of each set; the search then finds
candidate lines with memchr/`find` and runs the regex only on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as C
from re import _parser

Needles = frozenset[bytes]
_NL = 10


@dataclass(frozen=True)
class Plan:
    """Alternative needle sets (each one is required), and how far a needle hit decides it."""

    choices: tuple[Needles, ...]
    icase: bool  # needles are lower case and must be found case-insensitively (ASCII)
    pure: bool  # the pattern IS the alternation of choices[0]: a hit is a match
    prefix: bytes  # the literal prefix `re` already scans for ("" when none)


@lru_cache(maxsize=64)
def plan_for(source: bytes, flags: int, within_line: bool = False) -> Plan | None:
    """A plan for a bytes pattern that matches within one line, or None (no usable needle).

    `within_line`: the engine never lets a match span a newline (RE2's never_nl), so a
    pattern that could cross lines (`\\s`, `[^x]`) still has usable needles.
    """
    if flags & re.LOCALE:
        return None
    try:
        parsed = _parser.parse(source, flags)
    except re.error:
        return None
    flags = parsed.state.flags
    items = list(parsed)
    if not within_line and _may_cross_lines(items, flags):
        return None
    walk = _Walk()
    choices = walk.sequence(items, bool(flags & re.IGNORECASE))
    if not choices:
        return None
    icase = walk.icase
    choices = tuple(frozenset(n.lower() for n in c) if icase else c for c in choices)
    pure = _pure(items) and len(choices) == 1
    prefix = b"" if icase else _prefix(items)
    return Plan(choices, icase, pure, prefix)


class _Walk:
    """Collects required literal sets; notes whether any literal is matched ignoring case."""

    def __init__(self) -> None:
        self.icase = False

    def sequence(self, items: list, icase: bool) -> list[Needles]:
        """Every required set of a sequence of items."""
        found: list[Needles] = []
        run = bytearray()
        for op, av in items:
            if op is C.LITERAL:
                if icase and bytes([av]).lower() != bytes([av]).upper():
                    self.icase = True
                run.append(av)
                continue
            if run:
                found.append(frozenset([bytes(run)]))
                run = bytearray()
            best = _best(self.inner(op, av, icase))
            if best:
                found.append(best)
        if run:
            found.append(frozenset([bytes(run)]))
        return found

    def inner(self, op: object, av: object, icase: bool) -> list[Needles]:
        if op is C.SUBPATTERN:
            _group, add, remove, body = av
            local = (icase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            return self.sequence(list(body), local)
        if op is C.ATOMIC_GROUP:
            return self.sequence(list(av), icase)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            return self.sequence(list(av[2]), icase)
        if op is C.BRANCH:
            union: set[bytes] = set()
            for branch in av[1]:
                best = _best(self.sequence(list(branch), icase))
                if not best:
                    return []  # one branch needs no literal: the alternation needs none
                union |= best
            return [frozenset(union)]
        return []


def _best(choices: list[Needles]) -> Needles | None:
    """Longest shortest needle, then fewest needles: the cheapest set to scan for."""
    if not choices:
        return None
    return max(choices, key=lambda c: (min(map(len, c)), -len(c)))


def _pure(items: list) -> bool:
    """Whether the pattern is only literals, or only an alternation of literal branches."""
    if len(items) == 1 and items[0][0] is C.BRANCH:
        return all(all(op is C.LITERAL for op, _ in b) for b in items[0][1][1])
    return bool(items) and all(op is C.LITERAL for op, _ in items)


def _prefix(items: list) -> bytes:
    out = bytearray()
    for op, av in items:
        if op is not C.LITERAL:
            break
        out.append(av)
    return bytes(out)


_NL_CATEGORIES = {C.CATEGORY_SPACE, C.CATEGORY_NOT_DIGIT, C.CATEGORY_NOT_WORD}
_NL_CATEGORIES |= {C.CATEGORY_LINEBREAK, C.CATEGORY_UNI_SPACE, C.CATEGORY_UNI_NOT_DIGIT}
_NL_CATEGORIES |= {C.CATEGORY_UNI_NOT_WORD, C.CATEGORY_UNI_LINEBREAK}


def _may_cross_lines(items: list, flags: int) -> bool:
    """Whether a match could include a newline or depend on what follows the line (`$`, `\\Z`).

    Then a search of each line alone could differ from a search of the whole file.
    """
    for op, av in items:
        if op is C.LITERAL:
            bad = av == _NL
        elif op is C.NOT_LITERAL:
            bad = av != _NL
        elif op is C.ANY:
            bad = bool(flags & re.DOTALL)
        elif op is C.IN:
            bad = _class_has_newline(av)
        elif op is C.AT:
            bad = av is C.AT_END_STRING or (av is C.AT_END and not flags & re.MULTILINE)
        elif op is C.SUBPATTERN:
            _group, add, remove, body = av
            bad = _may_cross_lines(list(body), (flags | add) & ~remove)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            bad = _may_cross_lines(list(av[2]), flags)
        elif op is C.ATOMIC_GROUP:
            bad = _may_cross_lines(list(av), flags)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            bad = _may_cross_lines(list(av[1]), flags)
        elif op is C.BRANCH:
            bad = any(_may_cross_lines(list(b), flags) for b in av[1])
        else:
            bad = True  # back-references, conditionals: do not guess
        if bad:
            return True
    return False


def _class_has_newline(members: list) -> bool:
    negate = False
    has = False
    for op, av in members:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            has |= av == _NL
        elif op is C.RANGE:
            has |= av[0] <= _NL <= av[1]
        elif op is C.CATEGORY:
            has |= av in _NL_CATEGORIES
        else:
            has = True  # anything else: assume it may
    return has != negate
