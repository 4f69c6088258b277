"""Placeholder for the queues screen until its issue lands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class QueuesScreen(Screen):
    """Says plainly that this screen is not built yet."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("The queues screen is not built yet.", markup=False)
        yield Footer()
