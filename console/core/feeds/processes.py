"""The processes screen's feed: every program of one host's supervisords, with restart counts;
and the actions on them (run through the same clients, audited)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from console.core.supervisor.models import ActionResult, ConfigDiff, ProcessesSnapshot


@dataclass(frozen=True)
class ProcessesView:
    """A snapshot plus restart counts per (endpoint, group:name)."""

    snapshot: ProcessesSnapshot
    restarts: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    counts_error: str = ""
    # endpoint -> the event listener's state (None: not installed): exact events or polls only
    listeners: dict[str, str | None] = field(default_factory=dict)
    as_of: float | None = None  # a past time: states from the stored events, no actions
    around: tuple[Any, ...] = ()  # at a past time: ProcessEvents just before and after it


class ProcessesFeed(Protocol):
    """Blocking (call from a thread); reads never raise for an outage."""

    def poll(self, host: str, as_of: float | None = None) -> ProcessesView:
        """The programs of every supervisord configured for `host`."""
        ...

    def act(
        self,
        action: str,
        endpoints: list[str],
        target: str,
        signal: str = "",
        host: str | None = None,
    ) -> list[ActionResult]:
        """Run one action on each named endpoint of `host` (None: this console's endpoints
        by name), then audit every result; a host with no supervisord URL configured is
        acted on through its worker."""
        ...

    def reread(self, endpoint: str, host: str | None = None) -> ConfigDiff | ActionResult: ...

    def update(self, endpoint: str, diff: ConfigDiff, host: str | None = None) -> ActionResult: ...

    def follow_events(self, host: str | None = None) -> bool:
        """Did `host`'s supervisord report anything since the last call? (a watcher thread)"""
        ...

    def transitions(
        self, endpoint: str, program: str, host: str | None = None, until: float | None = None
    ) -> Any:
        """A program's recent transitions (a `Transitions`) from the store and event stream,
        up to `until` (the time cursor) when given."""
        ...

    def audit_entries(self, limit: int = 200) -> list | str:
        """Newest audit entries, or the reason they cannot be read."""
        ...

    def close(self) -> None: ...
