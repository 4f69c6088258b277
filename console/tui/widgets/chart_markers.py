"""The line under the history chart: the markers and the gaps of the range, fitted to its
width whenever it is drawn (a resize refits it: no kind is cut mid-name or mid-time)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widget import Widget

from console.core.events.marker_line import Group, fit


class MarkerLine(Widget):
    """One row; hidden when the range has neither markers nor gaps."""

    DEFAULT_CSS = "MarkerLine { height: 1; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._groups: tuple[Group, ...] = ()

    def show(self, groups: Sequence[Group]) -> None:
        if tuple(groups) != self._groups:
            self._groups = tuple(groups)
            self.refresh()
        self.display = bool(groups)  # no empty row under a chart without markers

    @property
    def text(self) -> str:
        """What the row shows at its current width."""
        return fit(self._groups, self.content_size.width)

    def render(self) -> Content:
        return Content(self.text)  # names are outside text: Content never parses markup
