"""The footer of every screen: the keys that fit the width, whole, most important first.

Textual's Footer lays out every binding and lets the last ones fall off the right edge, so a
screen with many actions loses `? Help` and `q Quit` even at 200 columns. This one keeps Help
and Quit always, then the screen's own actions in their order, then the screen switches, as
many as fit whole; the rest are one `?` away. It re-decides when the width changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS = ("help", "quit")  # actions kept at every width
PALETTE_MIN_WIDTH = 100


def _priority(binding: Binding) -> int:
    if binding.action in ALWAYS:
        return 0
    if binding.action.startswith("switch_mode"):
        return 2
    return 1


def pick(bindings: Iterable[tuple[Binding, str]], width: int, compact: bool) -> list[int]:
    """Indexes of the (binding, key shown) pairs that fit `width`, by priority, in order."""
    items = list(bindings)
    pad = 1 if compact else 2  # compact: "k Desc" + margin; else " k " + "Desc "
    cost = [len(shown) + len(b.description) + 1 + pad for b, shown in items]
    chosen, used = set(), 0
    for index in sorted(range(len(items)), key=lambda i: (_priority(items[i][0]), i)):
        if used + cost[index] <= width:
            chosen.add(index)
            used += cost[index]
    return sorted(chosen)


class KeyFooter(Footer):
    """A Footer that never cuts a key in half and never drops Help or Quit."""

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        seen: set[str] = set()
        shown: list[tuple[Binding, bool, str]] = []
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append((binding, enabled, tooltip))
        width = self.app.size.width - 1
        palette = self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
        palette = palette and self.app.size.width >= PALETTE_MIN_WIDTH
        if palette:
            width -= 12  # "▏^p palette "
        keys = [(b, self.app.get_key_display(b)) for b, _e, _t in shown]
        for index in pick(keys, width, self.compact):
            binding, enabled, tooltip = shown[index]
            yield FooterKey(
                binding.key,
                keys[index][1],
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        if palette:
            yield from self._palette_key(active)

    def _palette_key(self, active) -> ComposeResult:
        found = active.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return
        _node, binding, enabled, _tooltip = found
        yield FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            classes="-command-palette",
            disabled=not enabled,
            tooltip=binding.tooltip or binding.description,
        )

    def on_resize(self) -> None:
        width = self.app.size.width
        if width != getattr(self, "_laid_out_for", None):
            self._laid_out_for = width
            self.call_after_refresh(self.recompose)
