"""A scrolling view of log lines drawn with the line API: cost per frame is the visible rows.

Lines arrive sanitized (console.core.logs); they become Segments directly, so no text is ever
parsed as markup. A long line is measured once when it arrives, never on every write; a row is
styled once and its strip kept, so a repaint after new lines (the view scrolls by the batch)
styles only the new rows. Lines leaving the ring take their rows with them: no rebuild.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from itertools import islice
from typing import ClassVar

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from console.core.logs.blocks import TextBlocks
from console.core.logs.lines import LogLine
from console.core.logs.search import PRESETS, Query, pretty_json

MAX_LINES = 5000
STRIP_CACHE = 1000  # styled rows kept; a screenful is at most a few hundred
TAG_COLOURS = ["cyan", "yellow", "magenta", "green", "blue", "red"]
_ERRORS = re.compile(PRESETS["errors"], re.MULTILINE)
_WARNINGS = re.compile(r"\bWARN(?:ING)?\b")


@dataclass(frozen=True, eq=False)  # hashed by identity: the key of its styled strip
class Row:
    """One screen row: the line it comes from and the part of it shown."""

    line: LogLine
    text: str
    width: int  # cells, the source tag included
    partial: bool = False
    first: bool = True  # the line's first row (a wrapped line has more)


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


class LogView(ScrollView, can_focus=True):
    """Log lines with follow, wrap, filter, search highlight and JSON pretty-printing."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "log-view--marker",
        "log-view--match",
        "log-view--current",
        "log-view--error",
        "log-view--warning",
        "log-view--partial",
    }

    def __init__(self, max_lines: int = MAX_LINES, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: deque[LogLine] = deque(maxlen=max_lines)
        self.partial: str | None = None
        self.wrap = False
        self.pretty = False
        self.following = True
        self.search: re.Pattern[str] | None = None
        self.current: int | None = None  # row of the current search match
        self._filter: tuple[Query, re.Pattern[str]] | None = None
        self._rows: list[Row] = []
        self._max_width = 0
        self._blocks = TextBlocks()  # a kept traceback header keeps the lines of its block
        self.tags: list[str] = []  # source names, in a merged view
        self._strips: dict[tuple, Strip] = {}

    def set_tags(self, tags: list[str]) -> None:
        """Name each line's source in front of it (a merged view), or not (empty)."""
        width = max((len(t) for t in tags), default=0)
        self.tags = [t.ljust(width) + " │ " for t in tags]
        self.rebuild()

    @property
    def _tag_width(self) -> int:
        return len(self.tags[0]) if self.tags else 0

    # --- content ---------------------------------------------------------------------

    def set_lines(self, lines: tuple[LogLine, ...], partial: str | None) -> None:
        """Replace everything shown (a new source, a new window)."""
        self.lines.clear()
        self.lines.extend(lines)
        self.partial = partial
        self.rebuild()
        self._stick()

    def append(self, lines: tuple[LogLine, ...], partial: str | None) -> None:
        """Add a batch at the end; the view stays at the bottom while following."""
        if not lines and partial == self.partial:
            return
        limit = self.lines.maxlen or 0
        dropped = len(self.lines) + len(lines) - limit
        if len(lines) >= limit:
            self.lines.extend(lines)
            self.partial = partial
            self.rebuild()
            self._stick()
            return
        if dropped > 0:
            self._drop_rows({id(line) for line in islice(self.lines, dropped)})
        self.lines.extend(lines)
        self.partial = partial
        if self._rows and self._rows[-1].partial:
            self._rows = [row for row in self._rows if not row.partial]
        self._add_rows(lines)
        self._add_partial()
        self._resize()
        self._stick()
        if self.following:  # scroll now: the new size and the scroll share one frame
            self.scroll_end(animate=False, immediate=True, x_axis=False)

    def _drop_rows(self, leaving: set[int]) -> None:
        """Remove the rows of lines about to leave the ring (they are the first rows)."""
        count = 0
        for row in self._rows:
            if id(row.line) not in leaving:
                break
            count += 1
        del self._rows[:count]

    def _stick(self) -> None:
        """While following, keep the last row in view: anchored, the layout keeps it there."""
        if self.following and not self.is_anchored:
            self.anchor()
        elif not self.following and self.is_anchored:
            self.anchor(False)

    def prepend(self, lines: tuple[LogLine, ...]) -> None:
        """Add older lines on top (paging back) without moving what the user looks at."""
        before = len(self._rows)
        self.lines.extendleft(reversed(lines))
        self.rebuild()
        self.scroll_to(y=self.scroll_y + len(self._rows) - before, animate=False, immediate=True)

    @property
    def top_offset(self) -> int | None:
        """Byte offset of the first line held (for paging back), when known."""
        first = next(iter(self.lines), None)
        return None if first is None else first.offset

    # --- modes -----------------------------------------------------------------------

    def set_filter(self, query: Query | None) -> None:
        self._filter = None if query is None else (query, query.for_text())
        self.rebuild()

    @property
    def filter_query(self) -> Query | None:
        return self._filter[0] if self._filter else None

    def set_wrap(self, wrap: bool) -> None:
        self.wrap = wrap
        self.rebuild()

    def set_pretty(self, pretty: bool) -> None:
        self.pretty = pretty
        self.rebuild()

    def rebuild(self) -> None:
        """Recompute the rows from the lines (after a mode change or dropped lines)."""
        self._rows = []
        self._strips.clear()
        self._max_width = 0
        self._blocks = TextBlocks()
        self._add_rows(tuple(self.lines))
        self._add_partial()
        self._resize()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # a theme or focus change restyles every row

    def on_resize(self) -> None:
        if self.wrap:
            self.rebuild()

    # --- search ----------------------------------------------------------------------

    def set_search(self, pattern: re.Pattern[str] | None) -> None:
        self.search = pattern
        self.current = None
        self.refresh()

    def next_match(self, forward: bool = True) -> bool:
        """Move to the next (or previous) row with a match; False when there is none."""
        if self.search is None or not self._rows:
            return False
        start = self.current if self.current is not None else int(self.scroll_y)
        count = len(self._rows)
        step = 1 if forward else -1
        for i in range(1, count + 1):
            index = start + step * i
            if not 0 <= index < count:
                break
            if self.search.search(self._rows[index].text):
                self.current = index
                self.following = False
                self.anchor(False)
                self.scroll_to(y=max(0, index - self.size.height // 2), animate=False)
                self.refresh()
                return True
        return False

    # --- rows ------------------------------------------------------------------------

    def _keeps(self, line: LogLine) -> bool:
        if self._filter is None or line.marker:
            return True
        query, pattern = self._filter
        if not query.invert and self._blocks.continues(line.text):
            return True
        kept = query.keeps(pattern, line.text)
        if kept and not query.invert:
            self._blocks.opened(line.text)
        return kept

    def _add_rows(self, lines: tuple[LogLine, ...]) -> None:
        for line in lines:
            if not self._keeps(line):
                continue
            texts = (self.pretty and not line.marker and pretty_json(line.text)) or [line.text]
            for text in texts:
                self._add_text(line, text)

    def _add_text(self, line: LogLine, text: str, partial: bool = False) -> None:
        tag = self._tag_width
        width = max(10, (self.scrollable_content_region.width or 80) - tag)
        parts = chop_cells(text, width) if self.wrap and _width(text) > width else [text]
        for i, part in enumerate(parts or [""]):
            row = Row(line, part, _width(part) + tag, partial, first=i == 0)
            self._rows.append(row)
            self._max_width = max(self._max_width, row.width)

    def _add_partial(self) -> None:
        if self.partial is not None:
            self._add_text(LogLine(self.partial), self.partial, partial=True)

    def _resize(self) -> None:
        width = self.scrollable_content_region.width if self.wrap else self._max_width
        self.virtual_size = Size(width, len(self._rows))
        self.refresh()

    @property
    def rows(self) -> list[Row]:
        return self._rows

    # --- drawing ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        row = self._rows[index]
        key = (row, scroll_x, width, self.search, index == self.current)
        strip = self._strips.get(key)
        if strip is None:
            base = self.rich_style
            if len(self._strips) >= STRIP_CACHE:
                self._strips.clear()
            strip = Strip(self._segments(row, index, base), row.width)
            strip = self._strips[key] = strip.crop_extend(scroll_x, scroll_x + width, base)
        return strip

    def _line_style(self, row: Row, base: Style) -> Style:
        if row.line.marker:
            return base + self.get_component_rich_style("log-view--marker")
        if row.partial:
            return base + self.get_component_rich_style("log-view--partial")
        if _ERRORS.search(row.line.text):
            return base + self.get_component_rich_style("log-view--error")
        if _WARNINGS.search(row.line.text):
            return base + self.get_component_rich_style("log-view--warning")
        return base

    def _tag(self, row: Row, base: Style) -> list[Segment]:
        source = row.line.source
        if not self.tags or source is None or source >= len(self.tags):
            return [Segment(" " * self._tag_width, base)] if self.tags else []
        text = self.tags[source] if row.first else " " * self._tag_width
        return [Segment(text, base + Style(color=TAG_COLOURS[source % len(TAG_COLOURS)]))]

    def _segments(self, row: Row, index: int, base: Style) -> list[Segment]:
        return self._tag(row, base) + self._text_segments(row, index, base)

    def _text_segments(self, row: Row, index: int, base: Style) -> list[Segment]:
        style = self._line_style(row, base)
        if self.search is None:
            return [Segment(row.text, style)]
        name = "log-view--current" if index == self.current else "log-view--match"
        hit = style + self.get_component_rich_style(name)
        segments = []
        pos = 0
        for match in self.search.finditer(row.text):
            if match.end() == match.start():
                continue
            segments.append(Segment(row.text[pos : match.start()], style))
            segments.append(Segment(match.group(), hit))
            pos = match.end()
        segments.append(Segment(row.text[pos:], style))
        return [segment for segment in segments if segment.text]
