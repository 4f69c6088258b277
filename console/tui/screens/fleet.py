"""The fleet screen: one row per host reporting to this Redis, worst first, filterable;
Enter opens that host on every screen; `d` forgets a host that stopped reporting (confirmed,
audited)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Static

from console.core.fleet.cells import COLUMNS, row_cells
from console.core.formatting import counted
from console.tui.screens.confirm import Confirmation
from console.tui.screens.polled import PolledScreen
from console.tui.text import outside
from console.tui.widgets.header_bar import HeaderBar
from console.tui.widgets.key_footer import KeyFooter

STATE_STYLE = {"down": "bold red", "bad": "red", "stale": "yellow", "ok": "green"}
NUMBERS_EVERY_S = 30.0  # ages, CPU, backlogs: a worker reports them once a minute anyway


class FleetScreen(PolledScreen):
    """Reads `self.app.feeds.fleet`; the poll is one Redis round trip for every host."""

    CSS_PATH = "fleet.tcss"
    MUTATING = frozenset({"remove_host"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="fleet.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="fleet.clear", show=False),
        Binding("d", "remove_host", "Forget host", id="fleet.remove"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: Any = None
        self.text_filter = ""
        self._shown: list[tuple[str, str, tuple[str, ...]]] = []  # (host, state, cells) shown
        self._numbers_at = 0.0  # when the numbers were last brought up to date
        self._status_line = ""

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(Text("Reading the fleet…"), id="fleet-status")
        yield DataTable(id="fleet-table", cursor_type="row", zebra_stripes=True)
        yield Input(
            placeholder="filter: part of a host name, or down/bad/stale/ok (Esc clears)",
            id="fleet-filter",
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.table.add_columns(*COLUMNS)
        self.table.focus()

    @property
    def table(self) -> DataTable:
        return self.query_one("#fleet-table", DataTable)

    def poll_interval(self) -> float:
        return max(1.0, self.app.settings.refresh_dashboard)  # type: ignore[attr-defined]

    def fetch(self) -> Any:
        feed = self.app.feeds.fleet  # type: ignore[attr-defined]
        return None if feed is None else feed.poll()

    def show(self, view: Any) -> None:
        self.view = view
        status = self.query_one("#fleet-status", Static)
        if view is None or view.error:
            status.update(outside(view.error if view else "no fleet feed", 500))
            status.set_class(True, "-down")
            self._status_line = ""
            return
        status.set_class(False, "-down")
        wanted = self.text_filter.lower()  # a host name, or a state: "down", "bad"
        rows = [r for r in view.rows if wanted in r.host.lower() or wanted == r.state]
        counts = {state: sum(r.state == state for r in view.rows) for state in STATE_STYLE}
        states = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        line = f"{counted(len(view.rows), 'host')}: {states}"
        if self.text_filter:
            line += f"  ·  filter: {self.text_filter} ({len(rows)} shown)"
        for bad in view.invalid:
            line += f"  ·  {bad.what}: {bad.reason}"
        if line != self._status_line:  # an update re-renders it even when the words are the same
            self._status_line = line
            status.update(outside(line, 2000))
        self._fill(rows, view.ts)

    def _fill(self, rows: list, now: float) -> None:
        """Redrawn when a host or a state changes, and for numbers alone (ages, CPU, backlogs)
        at most every NUMBERS_EVERY_S. Each redraw renders every visible cell again: at 200
        hosts, redrawn at every poll (some host always just beat), the screen cost ~10 % of a
        core; redrawn every 10 s, ~3 %."""
        zone = self.app.settings.timezone  # type: ignore[attr-defined]
        fresh = [(row.host, row.state, row_cells(row, now, zone)) for row in rows]
        same_states = [(h, s) for h, s, _ in fresh] == [(h, s) for h, s, _ in self._shown]
        if same_states and (fresh == self._shown or now - self._numbers_at < NUMBERS_EVERY_S):
            return  # `_shown` stays what the table shows; the next poll compares with it
        table = self.table
        keep = table.cursor_row
        table.clear()
        for host, state, cells in fresh:
            table.add_row(*(_cell(c, i, state) for i, c in enumerate(cells)), key=host)
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        self._shown, self._numbers_at = fresh, now

    def _current_host(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    @on(DataTable.RowSelected, "#fleet-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        host = str(event.row_key.value)
        if host != self.app.model.host:  # type: ignore[attr-defined]
            self.app.select_host(host)  # type: ignore[attr-defined]
        self.app.switch_mode("processes")

    def action_filter(self) -> None:
        box = self.query_one("#fleet-filter", Input)
        box.add_class("-visible")
        box.focus()

    @on(Input.Changed, "#fleet-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value
        if self.view is not None:
            self.show(self.view)

    @on(Input.Submitted, "#fleet-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#fleet-filter", Input)
        box.value = ""
        box.remove_class("-visible")
        self.table.focus()

    def action_remove_host(self) -> None:
        host = self._current_host()
        if self.refused("remove_host") or host is None:
            return
        ask = Confirmation(
            title="Forget this host? (its worker, if it runs, reappears at its next report)",
            targets=[host],
            label="Forget",
        )
        feed = self.app.feeds.fleet  # type: ignore[attr-defined]
        self.confirm_then(ask, lambda: self.run_blocking(lambda: feed.remove(host), self._removed))

    def _removed(self, words: str) -> None:
        self.notify(outside(words, 500).plain, markup=False)
        self.poll_soon()


def _cell(value: str, column: int, state: str) -> Text:
    """A cell as text (outside data never becomes markup); the state column in its colour."""
    text = outside(value, 200)
    if column == 1:
        text.stylize(STATE_STYLE.get(state, ""))
    return text
