"""A one-line 'updated 12 s ago' / 'STALE · 5 min ago' label: the only thing that ticks at 1 Hz."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from console.core.formatting import span
from console.core.sources import age_text, is_stale


class AgeLabel(Static):
    """How old a panel's data is; turns STALE past twice the collection interval."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content("no data yet"), id=id, classes="age age-none")
        self._ts: float | None = None
        self._note = ""
        self._shown = ""
        self._state = "age-none"
        self._past = False

    def set_source(self, ts: float | None, note: str = "", past: bool = False) -> None:
        """The data's timestamp, and a note such as 'cache down' (kept until cleared);
        `past`: stored values at the time cursor, the note says which rows."""
        self._ts, self._note, self._past = ts, note, past

    def tick(self, now: float, collect_interval: float) -> None:
        """Re-render only if the words changed."""
        if self._past:  # `now` is the cursor: the age is the row's before that time
            age = "" if self._ts is None else f" · {span(max(0.0, now - self._ts), False)} earlier"
            text, state = f"{self._note}{age}", "age-ok"
        elif self._ts is None and self._note.startswith("invalid"):
            text, state = self._note, "age-stale"  # the entry is there but unusable
        elif self._ts is None:
            text, state = "no data yet" + (f" · {self._note}" if self._note else ""), "age-none"
        else:
            stale = is_stale(self._ts, now, collect_interval) or bool(self._note)
            text = f"{'STALE · ' if stale else ''}updated {age_text(self._ts, now)}"
            text += f" · {self._note}" if self._note else ""
            state = "age-stale" if stale else "age-ok"
        if text != self._shown:
            self._shown = text
            # Fixed one-row size (.age): no layout pass, only this label is repainted.
            self.update(Content(text), layout=False)
        if state != self._state:
            self.remove_class(self._state)
            self.add_class(state)
            self._state = state

    @property
    def stale(self) -> bool:
        return self._state == "age-stale"
