"""The alerts screen: firing, pending and recently resolved alerts as the worker evaluated
them, the silences in force; `s` silences the selected alert (how long, why; confirmed,
audited), `h` shows its history."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from console.core.alerts.view import AlertsView, since_text, status_word, value_text
from console.core.formatting import ago, clock, span
from console.tui.screens.confirm import Confirmation
from console.tui.screens.polled import PolledScreen
from console.tui.text import outside
from console.tui.widgets.header_bar import HeaderBar
from console.tui.widgets.key_footer import KeyFooter

COLUMNS = ("state", "rule", "subject", "since", "value / limit", "what")
HISTORY_COLUMNS = ("when", "event", "subject", "target", "what")
STATUS_STYLE = {"firing": "bold red", "pending": "yellow", "resolved": "green"}


class AlertsScreen(PolledScreen):
    """Reads `self.app.feeds.alerts`: one cache read per poll."""

    CSS_PATH = "alerts.tcss"
    MUTATING = frozenset({"silence"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "silence", "Silence", id="alerts.silence"),
        Binding("h", "history", "History", id="alerts.history"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: AlertsView | None = None

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(Text("Reading the alerts…"), id="alerts-status")
        yield DataTable(id="alerts-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text(""), id="alerts-detail")
        yield Static(Text(""), id="alerts-silences")
        yield DataTable(id="alerts-history", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.table.add_columns(*COLUMNS)
        self.query_one("#alerts-history", DataTable).add_columns(*HISTORY_COLUMNS)
        self.table.focus()

    @property
    def table(self) -> DataTable:
        return self.query_one("#alerts-table", DataTable)

    @property
    def host(self) -> str:
        return self.app.model.host  # type: ignore[attr-defined]

    def poll_interval(self) -> float:
        return max(1.0, self.app.settings.refresh_dashboard)  # type: ignore[attr-defined]

    def fetch(self) -> Any:
        feed = self.app.feeds.alerts  # type: ignore[attr-defined]
        return None if feed is None else feed.view(self.host)

    def show(self, view: AlertsView | None) -> None:
        self.view = view
        now = self.app.clock()  # type: ignore[attr-defined]
        status = self.query_one("#alerts-status", Static)
        interval = self.app.settings.alerts_interval  # type: ignore[attr-defined]
        problem = "no alerts feed" if view is None else view.stale(now, interval)
        status.set_class(bool(problem), "-down")
        if view is None or view.error:
            status.update(outside(problem, 500))
            return
        counts = ", ".join(f"{len(view.of(s))} {s}" for s in STATUS_STYLE)
        age = None if view.evaluated is None else now - view.evaluated
        line = f"{counts}  ·  evaluated {ago(age)}"
        if view.waiting:
            line += f"  ·  {view.waiting} messages waiting for a target"
        if problem:
            line += f"  ·  cannot tell: {problem}"
        status.update(outside(line, 1000))
        self._fill(view, now)
        zone = self.app.tz  # type: ignore[attr-defined]
        names = {st.fingerprint: f"{st.rule} — {st.subject}" for st in view.states}
        silences = [
            f"silenced {names.get(s.match, s.match)} until {clock(s.until, zone, now)} "
            f"by {s.who}: {s.reason}"
            for s in view.silences
        ]
        self.query_one("#alerts-silences", Static).update(outside("\n".join(silences), 2000))
        self.query_one("#alerts-silences", Static).display = bool(silences)

    def _fill(self, view: AlertsView, now: float) -> None:
        table = self.table
        keep = table.cursor_row
        table.clear()
        for state in view.states:
            word = outside(status_word(state), 40, style=STATUS_STYLE.get(state.status, ""))
            cells = [state.rule, state.subject, since_text(state, now), value_text(state)]
            table.add_row(
                word,
                *(outside(c, 200) for c in cells),
                outside(state.summary, 500),
                key=state.fingerprint,
            )
        if view.states:
            table.move_cursor(row=min(keep, len(view.states) - 1))
        self._detail()

    @on(DataTable.RowHighlighted, "#alerts-table")
    def _detail(self) -> None:
        """The selected alert in full, whatever the width: what, since when, its fingerprint."""
        detail = self.query_one("#alerts-detail", Static)
        state = self._selected()
        if state is None:
            detail.update(Text("no alerts" if self.view and not self.view.error else ""))
            return
        zone = self.app.tz  # type: ignore[attr-defined]
        now = self.app.clock()  # type: ignore[attr-defined]
        words = (
            f"{state.summary}  ·  since {clock(state.since, zone, now)}  ·  {state.severity}"
            f"  ·  fingerprint {state.fingerprint}"
        )
        detail.update(outside(words, 1000))

    def _selected(self) -> Any:
        if self.view is None or not self.table.row_count:
            return None
        key = self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key.value
        return next((s for s in self.view.states if s.fingerprint == key), None)

    def action_silence(self) -> None:
        state = self._selected()
        if self.refused("silence") or state is None:
            return
        from console.tui.screens.silence import SilenceScreen

        what = f"{state.rule} — {state.subject}"

        def chosen(answer: tuple[float, str] | None) -> None:
            if answer is None:
                return
            seconds, reason = answer
            ask = Confirmation(
                title=f"Silence for {span(seconds)}? No message is sent until it ends.",
                targets=[what, f"reason: {reason}"],
                label="Silence",
            )
            feed = self.app.feeds.alerts  # type: ignore[attr-defined]
            call = lambda: feed.silence(self.host, state.fingerprint, seconds, reason)  # noqa: E731
            self.confirm_then(ask, lambda: self.run_blocking(call, self._silenced))

        self.app.push_screen(SilenceScreen(what), chosen)

    def _silenced(self, words: str) -> None:
        names = (
            {st.fingerprint: f"{st.rule} — {st.subject}" for st in self.view.states}
            if self.view
            else {}
        )
        for fingerprint, name in names.items():
            words = words.replace(fingerprint, name)
        self.notify(outside(words, 500).plain, markup=False)
        self.poll_soon()

    def action_history(self) -> None:
        shown = self.query_one("#alerts-history", DataTable)
        if shown.has_class("-visible"):
            shown.remove_class("-visible")
            return
        state = self._selected()
        feed = self.app.feeds.alerts  # type: ignore[attr-defined]
        if feed is None:
            return
        fingerprint = state.fingerprint if state is not None else None
        self.run_blocking(lambda: feed.history(self.host, fingerprint), self._show_history)

    def _show_history(self, entries: list) -> None:
        table = self.query_one("#alerts-history", DataTable)
        table.clear()
        table.add_class("-visible")
        now = self.app.clock()  # type: ignore[attr-defined]
        zone = self.app.tz  # type: ignore[attr-defined]
        for e in entries:
            cells = [
                clock(e.ts, zone, now),
                e.event,
                e.subject,
                e.target or "",
                e.detail or e.summary,
            ]
            table.add_row(*(outside(c, 300) for c in cells))
        if not entries:
            table.add_row(*(outside(c) for c in ("", "no history in the last 7 days", "", "", "")))
