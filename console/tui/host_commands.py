"""Palette entries to switch host. Host names are read from Redis and the store: outside text,
so each entry is a literal Text (a name like `[@click=app.quit]x[/]` stays a name)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from console.core.sanitize import clean
from console.tui.text import outside

HELP = "show this host's metrics"


class HostCommands(Provider):
    """`Host: NAME` for every host the cache or store knows, except the one shown."""

    def _hosts(self) -> Iterator[tuple[str, Callable[[], None]]]:
        app = self.app
        model = app.model  # type: ignore[attr-defined]
        for host in model.hosts:
            if host != model.host:
                yield f"Host: {clean(host, 255)}", partial(app.select_host, host)  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for title, run in self._hosts():
            yield DiscoveryHit(outside(title), run, text=title, help=HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run in self._hosts():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, outside(title), run, text=title, help=HELP)
