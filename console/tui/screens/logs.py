"""Placeholder for the logs screen until its issue lands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class LogsScreen(Screen):
    """Says plainly that this screen is not built yet."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("The logs screen is not built yet.", markup=False)
        yield Footer()
