"""The shared pieces of the outside-data boundary: bounded JSON, bounded decompression,
numbers, and snapshots checked field by field."""

from __future__ import annotations

import gzip
import zlib

import pytest

from console.core.metrics import (
    DiskUsage,
    PerformanceSnapshot,
    QueueSnapshot,
    SystemHealth,
    parse_snapshot,
    to_payload,
)
from console.core.parse import Invalid, Unfit, decode_json, decompress, json_depth, number


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"[" * 100 + b"]" * 100, "nests 100 levels deep (limit 32)"),
        (b'{"a": NaN}', "NaN is not a number"),
        (b'{"a": -Infinity}', "-Infinity is not a number"),
        (b'{"a": 1e400}', "out of range"),
        (b'{"a": 1, "a": 2}', "'a' appears twice"),
        (b'{"a": ' + b"9" * 5000 + b"}", "is not JSON"),
        (b"\xc3\x28", "not UTF-8 text"),
        (b'"' + b"x" * 100 + b'"', "(limit 64)"),
    ],
)
def test_bad_json_is_unfit_with_a_reason(raw: bytes, why: str) -> None:
    with pytest.raises(Unfit, match=why.replace("(", r"\(").replace(")", r"\)")):
        decode_json(raw, max_bytes=64 if b"x" * 100 in raw else 1 << 20)


def test_depth_skips_brackets_inside_strings() -> None:
    assert json_depth('{"a": ["]]]][[[[{{", {"b": "\\"["}]}') == 3
    assert decode_json('{"a": "' + "[" * 40 + '"}') == {"a": "[" * 40}


def test_decompress_is_capped_and_reads_zlib_and_gzip() -> None:
    assert decompress(zlib.compress(b"job")) == b"job"
    assert decompress(gzip.compress(b"job")) == b"job"
    bomb = zlib.compress(b"\0" * (64 << 20))  # 64 MiB from ~64 KiB
    with pytest.raises(Unfit, match="expands past"):
        decompress(bomb, cap=1 << 20)
    with pytest.raises(Unfit, match="damaged"):
        decompress(b"\x78\x9cnot zlib")


@pytest.mark.parametrize(
    ("value", "why"),
    [([1], "is a list"), ("1", "is a string"), (True, "is a boolean"), (float("nan"), "is NaN")],
)
def test_numbers_must_be_finite_numbers(value: object, why: str) -> None:
    with pytest.raises(Unfit, match=why):
        number(value, "x")
    assert number(3.0, "x", integer=True) == 3


def test_a_snapshot_round_trips_and_a_bad_field_is_named() -> None:
    health = SystemHealth("h", 1.0, cpu_percent=5.0, disks=(DiskUsage("/", 10, 5, 50.0),))
    assert parse_snapshot(SystemHealth, to_payload(health), "health") == health
    bad = parse_snapshot(PerformanceSnapshot, {"host": "h", "ts": 1, "rps_avg": [1]}, "perf")
    assert bad == Invalid("perf", "perf.rps_avg is a list")
    assert str(bad) == "invalid: perf.rps_avg is a list"
    twice = {"host": "h", "ts": 1, "queues": [{"name": "q", "kind": "rq"}] * 2}
    assert "lists 'q' twice" in str(parse_snapshot(QueueSnapshot, twice, "queue"))
    assert "queue.host is missing" in str(parse_snapshot(QueueSnapshot, {"ts": 1}, "queue"))
