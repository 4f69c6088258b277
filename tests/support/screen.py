"""What the terminal shows, read back from a running app (Pilot): plain text and the styles.

Textual has no public "screen as text" export; this is the one place tests reach the
compositor for it (the same call `export_screenshot` makes)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.console import Console
from rich.segment import Segment
from textual.app import App


def _update(app: App):
    return app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


def screen_text(app: App) -> str:
    """The whole screen as plain text (modals and the screens behind them)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    console.print(_update(app))
    return console.export_text()


def segments(app: App) -> Iterator[Segment]:
    """Every styled piece of the screen, with its style (links, click actions included)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), legacy_windows=False)
    yield from console.render(_update(app))


def actionable(app: App) -> list[str]:
    """Text on screen that a click would act on (an @click action or a link)."""
    found = []
    for segment in segments(app):
        style = segment.style
        if style is not None and (style.link or "@click" in (style.meta or {})):
            found.append(segment.text)
    return found
