"""The Textual app: one mode per screen, reached by one key each."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from console.core.settings import Settings
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.logs import LogsScreen
from console.tui.screens.processes import ProcessesScreen
from console.tui.screens.queues import QueuesScreen


class StackwatchApp(App[int]):
    """The console. Screens read `self.app.settings`; all I/O runs in thread workers."""

    TITLE = "stackwatch"
    CSS_PATH = "app.tcss"
    MODES: ClassVar = {
        "dashboard": DashboardScreen,
        "processes": ProcessesScreen,
        "queues": QueuesScreen,
        "logs": LogsScreen,
    }
    DEFAULT_MODE = "dashboard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1,D", "switch_mode('dashboard')", "Dashboard", id="screen.dashboard"),
        Binding("2,P", "switch_mode('processes')", "Processes", id="screen.processes"),
        Binding("3,Q", "switch_mode('queues')", "Queues", id="screen.queues"),
        Binding("4,L", "switch_mode('logs')", "Logs", id="screen.logs"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.theme = settings.theme
        self.set_keymap(dict(settings.keys))


def make_app(settings: Settings) -> StackwatchApp:
    """The app factory: the CLI passes real settings, tests pass their own."""
    return StackwatchApp(settings)
