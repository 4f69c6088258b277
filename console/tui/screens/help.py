"""`?`: every key of the app and the current screen, read from the live bindings (keymap
applied, refused actions left out); and the palette provider that offers the same actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Vertical
from textual.content import Content
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static


@dataclass(frozen=True)
class KeyRow:
    """One action: its keys, description, where it is defined, and the action to run."""

    keys: str
    description: str
    scope: str
    action: str
    binding_id: str
    node: object = field(default=None, compare=False, repr=False)


def key_rows(screen: Screen) -> list[KeyRow]:
    """The screen's active bindings grouped per action (one row with all of its keys)."""
    grouped: dict[tuple[int, str], tuple[list[str], Binding, object]] = {}
    for active in screen.active_bindings.values():
        slot = (id(active.node), active.binding.id or active.binding.action)
        keys, _binding, _node = grouped.setdefault(slot, ([], active.binding, active.node))
        keys.append(active.binding.key_display or screen.app.get_key_display(active.binding))
    rows = []
    for keys, binding, node in grouped.values():
        scope = "app" if node is screen.app else type(node).__name__.removesuffix("Screen")
        description = binding.description or binding.action
        shown = ", ".join(dict.fromkeys(keys))
        rows.append(
            KeyRow(shown, description, scope.lower(), binding.action, binding.id or "", node)
        )
    return sorted(rows, key=lambda r: (r.scope != "app", r.scope, r.description))


class HelpScreen(ModalScreen[None]):
    """A modal table of keys; escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, rows: list[KeyRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Content("Keys (ctrl+p: every action by name)"), id="help-title")
            table: DataTable = DataTable(id="help-table", cursor_type="row")
            table.add_columns("key", "action", "where")
            for row in self.rows:
                table.add_row(Text(row.keys), Text(row.description), Text(row.scope))
            yield table
            yield Static(Content("escape / q / ? closes"), id="help-foot")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


class BindingsProvider(Provider):
    """Every action of the app and the current screen, by name (refused ones never appear)."""

    def commands(self) -> list[tuple[str, str, object]]:
        """(title, help, run) for every allowed action."""
        found = []
        for row in key_rows(self.screen):
            if row.binding_id in ("app.command_palette", "command_palette"):
                continue
            run = partial(self.app.run_action, row.action, row.node)
            found.append((row.description, f"{row.keys}  ({row.scope})", run))
        return found

    async def discover(self) -> Hits:
        for title, help_text, run in self.commands():
            yield DiscoveryHit(Text(title), run, text=title, help=escape(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self.commands():
            score = matcher.match(title)
            if score > 0:
                shown = matcher.highlight(escape(title))
                yield Hit(score, shown, run, text=title, help=escape(help_text))  # type: ignore[arg-type]
