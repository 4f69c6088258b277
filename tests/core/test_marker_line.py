"""The line under the history chart fits its width: every kind named with its count, then
whole names and times while they fit; never a value cut in the middle."""

from __future__ import annotations

import re

import pytest

from console.core.events.marker_line import deploy_label, fit, groups, short_name
from console.core.events.markers import DEPLOY, FATAL, RESTART, SUPERVISORD, Marker

NOW = 1_900_000_000.0
MARKERS = (
    *(Marker(NOW - 3000 + i, RESTART, "payments:payments") for i in range(3)),
    Marker(NOW - 2500, RESTART, "stackwatch-worker"),
    Marker(NOW - 2400, RESTART, "shop:web"),
    Marker(NOW - 2000, FATAL, "shop:web"),
    Marker(NOW - 1000, DEPLOY, "shop added"),
    Marker(NOW - 900, SUPERVISORD, "RUNNING"),
)
GAPS = ((NOW - 1800, NOW - 1500),)
ITEMS = {  # every value the line may show, whole
    "payments ×3",
    "stackwatch-worker ×1",
    "shop:web ×1",
    "restarts 5",
    "FATAL ×1",
    "deploy ×1",
    "supervisord ×1",
    "no data ×1",
}


def _values(line: str) -> list[str]:
    """The line's values, with the heads' names, times and +N split off."""
    line = re.sub(r"\d\d:\d\d(–\d\d:\d\d)?", "", line)
    parts = re.split(r" · |, | \(|\)| ?\+\d+(?: more)?", line)
    return [p.strip() for p in parts if p and p.strip()]


@pytest.mark.parametrize("width", [20, 30, 46, 60, 80, 120, 196])
def test_the_line_fits_and_cuts_no_value(width: int) -> None:
    line = fit(groups(MARKERS, GAPS), width)
    assert len(line) <= width
    known = ITEMS | {"FATAL shop:web", "deploy shop added", "supervisord RUNNING", "no data"}
    assert all(value in known or value.startswith("restarts 5") for value in _values(line)), line


def test_a_narrow_line_names_each_kind_and_a_wide_one_tells_more() -> None:
    found = groups(MARKERS, GAPS)
    assert fit(found, 46) == "restarts 5 · FATAL ×1 · deploy ×1 · +2 more"
    wide = fit(found, 196)
    assert wide.startswith("restarts 5 (payments ×3, stackwatch-worker ×1, shop:web ×1)")
    assert "FATAL shop:web " in wide and "deploy shop added " in wide
    assert "supervisord RUNNING " in wide and "no data " in wide
    assert "+" not in wide  # everything shown: nothing left to count


def test_names_and_empty_ranges() -> None:
    assert short_name("web:web") == "web" and short_name("shop:web") == "shop:web"
    assert deploy_label("shop added, web removed") == "shop added, web removed"
    many = "a added, b added, c added, d removed"
    assert deploy_label(many) == "3 groups added, 1 group removed"
    assert fit(groups(()), 80) == ""
    assert fit(groups(MARKERS), 3) == ""  # not even "+N more" fits
