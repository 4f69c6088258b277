"""Command palette entries for the queues screen: only the actions allowed right now
(none of the mutating ones in read-only mode)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

ACTIONS = (
    ("retry", "Queues: retry failed job", "Enqueue the selected failed job again"),
    ("delete", "Queues: delete failure record", "Delete the selected failure record"),
    ("flush", "Queues: flush failures", "Delete every failure record of this host"),
    ("revoke", "Queues: revoke scheduled task", "Revoke the selected scheduled task"),
    ("restore", "Queues: restore scheduled task", "Restore the selected revoked task"),
    ("traceback", "Queues: show traceback", "Full traceback of the selected failed job"),
    ("refresh", "Queues: refresh now", "Read every queue again"),
)


class QueueCommands(Provider):
    def _allowed(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        return [a for a in ACTIONS if screen.check_action(a[0], ()) is True]

    async def discover(self) -> Hits:
        for action, title, help_text in self._allowed():
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, title, help_text in self._allowed():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.screen.run_action, action),
                    help=help_text,
                )
