"""Horizon-style tiles: jobs per minute, past hour, failed in 7 days, max wait, max runtime."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from console.core.formatting import millis

if TYPE_CHECKING:
    from console.core.queues.jobstats import Tiles

TILES = (
    ("per_min", "Jobs/min"),
    ("hour", "Past hour"),
    ("failed", "Failed 7d"),
    ("wait", "Max wait"),
    ("runtime", "Max runtime"),
)


class QueueTiles(Horizontal):
    """Five tiles; values arrive through `show`."""

    def compose(self) -> ComposeResult:
        for key, label in TILES:
            yield Static(Text(f"{label}\n-"), id=f"tile-{key}", classes="queue-tile")

    def show(self, tiles: Tiles | None) -> None:
        if tiles is None:
            values = dict.fromkeys(("per_min", "hour", "failed", "wait", "runtime"), "-")
        else:
            hour = "-" if tiles.jobs_past_hour is None else str(tiles.jobs_past_hour)
            values = {
                "per_min": "-" if tiles.jobs_per_min is None else f"{tiles.jobs_per_min:g}",
                "hour": f"≥{hour}" if tiles.partial_hour else hour,
                "failed": "-" if tiles.failed_past_7d is None else str(tiles.failed_past_7d),
                "wait": millis(tiles.max_wait_ms),
                "runtime": millis(tiles.max_runtime_ms),
            }
        for key, label in TILES:
            tile = self.query_one(f"#tile-{key}", Static)
            tile.update(Text(f"{label}\n{values[key]}"))
            tile.set_class(key == "failed" and values[key] not in ("-", "0"), "-bad")
