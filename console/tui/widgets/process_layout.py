"""Which process columns each terminal width shows, and how wide: what matters most, whole.

- from 140 columns: every column, the Exit column wide enough for supervisord's words;
- from 100: Program, State, CPU%, Memory, restarts and Info;
- below: Program, State, Memory and Info.
When PID, Uptime and Exit are not shown, Info carries them: a running program's pid and
uptime, how a stopped one ended, why a failed one failed. A value too long for Info loses its
least important part first (a parenthesis, a trailing clause), never a number in the middle.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.tui.widgets.process_rows import COLUMNS, Row, cap

CELL_PADDING = 2  # DataTable pads each cell by one on either side
SCROLLBAR = 2
MIN_INFO = 16
WORDS = frozenset({"Exit", "Info"})  # sentences: shortened by clauses; names and numbers: cut


@dataclass(frozen=True)
class Layout:
    """Column names and widths (Info, last, takes the rest); `brief`: Info carries the rest."""

    columns: tuple[tuple[str, int], ...]
    brief: bool

    def widths(self, total: int) -> tuple[tuple[str, int], ...]:
        used = sum(w + CELL_PADDING for _n, w in self.columns) + CELL_PADDING + SCROLLBAR
        return (*self.columns, ("Info", max(MIN_INFO, total - used)))


WIDE = Layout(
    (
        ("Program", 24),
        ("State", 8),
        ("PID", 7),
        ("Uptime", 6),
        ("Exit", 34),
        ("CPU%", 6),
        ("Memory", 7),
        ("R 1h/1d", 7),
    ),
    brief=False,
)
MEDIUM = Layout(
    (("Program", 24), ("State", 8), ("CPU%", 6), ("Memory", 7), ("R 1h/1d", 7)), brief=True
)
NARROW = Layout((("Program", 20), ("State", 8), ("Memory", 7)), brief=True)


def layout_for(width: int) -> Layout:
    if width >= 140:
        return WIDE
    return MEDIUM if width >= 100 else NARROW


def fit(text: str, width: int) -> str:
    """`text` in `width` cells: drop a parenthesis, then trailing clauses, then words."""
    if len(text) <= width:
        return text
    if "(" in text and text.rstrip().endswith(")"):
        shorter = text[: text.rindex("(")].rstrip(" ,;")
        if shorter:
            return fit(shorter, width)
    for separator in ("; ", ", "):
        if separator in text:
            return fit(text[: text.rindex(separator)], width)
    head = text[: width - 1]
    cut = head.rfind(" ")
    return (head[:cut] if cut > len(head) // 2 else head).rstrip() + "…"


def cells_for(row: Row, columns: tuple[tuple[str, int], ...], brief: bool) -> list[str]:
    """The row's cells for these columns, each fitted whole to its width."""
    values = dict(zip(COLUMNS, row.cells, strict=True))
    if brief:
        values["Info"] = row.brief
    return [
        fit(values[name], width) if name in WORDS else cap(values[name], width)
        for name, width in columns
    ]
