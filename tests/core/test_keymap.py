"""The binding ids and key names `[keys]` accepts are exactly the console's and Textual's."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key

import console.tui
from console.core.keymap import BINDING_IDS, character_key, key_problem


def _declared_binding_ids() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(console.tui.__path__, "console.tui."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, DOMNode):
                for binding in obj.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding) and binding.id:
                        found.add(binding.id)
    return found


def test_every_binding_id_the_console_declares_is_known_to_settings() -> None:
    declared = _declared_binding_ids()
    assert declared - BINDING_IDS == set(), "add these ids to console/core/keymap.py BINDING_IDS"
    assert BINDING_IDS - declared == set(), "remove these ids from console/core/keymap.py"


def test_character_names_match_textuals() -> None:
    for code in range(0x21, 0x7F):
        assert character_key(chr(code)) == _character_to_key(chr(code))


def test_every_textual_key_is_accepted_and_nonsense_is_not() -> None:
    for key in Keys:
        if not key.value.startswith("<") and key.value != "ctrl-at":
            assert key_problem(key.value) is None, key.value
    for good in ("question_mark", "slash", "ctrl+r", "G", "f12", "alt+shift+up", "é"):
        assert key_problem(good) is None
    for bad in ("ctrl+bogus", "f25", "pgup", "control+r", "ctrl+", "two words"):
        assert key_problem(bad) is not None, bad
