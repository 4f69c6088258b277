"""A banner over the dashboard when what it shows cannot be trusted, saying why it matters."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from console.core.sources import DOWN, STALE, UNKNOWN, clock_time
from console.tui.widgets.status_model import CACHE, WORKER, DashboardModel


def banner_text(model: DashboardModel, tz: object) -> str:
    """The most important problem in words, or '' when all is well."""
    cache, worker = model.state(CACHE), model.state(WORKER)
    if cache is not None and cache.status == DOWN:
        since = f" since {clock_time(cache.since, tz)}" if cache.since else ""  # type: ignore[arg-type]
        kept = "Showing the last values read (STALE)" if model.cache else "No values to show"
        return f"Cache down{since} — {cache.reason}. {kept}; retrying by itself."
    beat = model.cache.invalid_for("heartbeat") if model.cache else None
    if beat is not None:
        return (
            f"Worker heartbeat unreadable ({beat}): the worker's state is unknown; "
            "something other than stackwatch writes its key."
        )
    if worker is None or worker.status == UNKNOWN:
        return ""
    if worker.status == DOWN:
        return (
            f"No worker heartbeat for host {model.host}: nothing collects metrics, so these "
            "values will not change. Start it with `stackwatch worker` (under supervisord)."
        )
    if worker.status == STALE:
        return (
            f"Worker heartbeat late ({worker.reason}): metrics are not being refreshed; "
            "check the worker's log (`stackwatch logs stackwatch-worker --stderr`)."
        )
    return ""


class StatusBanner(Static):
    """Hidden when all is well; one or two lines otherwise."""

    def __init__(self) -> None:
        super().__init__(Content(""), id="status-banner")
        self._text = ""
        self.display = False

    def show(self, model: DashboardModel, tz: object) -> None:
        text = banner_text(model, tz)
        if text == self._text:
            return
        self._text = text
        self.update(Content(text))
        self.display = bool(text)
        self.set_class(model.cache_down, "-cache-down")
