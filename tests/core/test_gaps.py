"""A time without rows is a gap: the chart's runs break there, and only there."""

from __future__ import annotations

from console.core.gaps import gaps, segments
from console.core.metrics import Point


def series(step: int, present: set[int], count: int) -> list[Point]:
    return [Point(i * step, 1.0 if i in present else None) for i in range(count)]


def test_three_days_without_rows_are_a_gap_not_a_line() -> None:
    hour = 3600
    points = series(hour, set(range(0, 48)) | set(range(120, 168)), 168)  # 7 days, hourly
    runs = segments(points)
    assert [(r[0].ts, r[-1].ts) for r in runs] == [(0, 47 * hour), (120 * hour, 167 * hour)]
    assert gaps(points) == [(47 * hour, 120 * hour)]


def test_buckets_narrower_than_the_collection_are_no_gap() -> None:
    points = series(36, {i for i in range(100) if i % 5 in (0, 2, 4)}, 100)  # a row a minute
    assert len(segments(points, collect_interval=60)) == 1


def test_a_worker_down_for_ten_minutes_is_a_gap_in_the_last_hour() -> None:
    points = series(60, set(range(0, 20)) | set(range(30, 60)), 60)
    assert gaps(points, collect_interval=60) == [(19 * 60, 30 * 60)]


def test_no_values_no_runs() -> None:
    assert segments(series(60, set(), 10)) == [] and gaps([]) == []
