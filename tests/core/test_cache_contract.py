"""One contract, two backends: Redis and the embedded SQLite cache behave the same."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
import redis

from console.core import keys
from console.core.cache import Cache
from console.core.cache.redis_cache import RedisCache
from console.core.cache.sqlite_cache import SqliteCache
from console.core.errors import SourceUnavailable


@pytest.fixture(params=["redis", "sqlite"])
def cache(request: pytest.FixtureRequest, tmp_path: Path) -> Cache:
    if request.param == "redis":
        backend: Cache = RedisCache(request.getfixturevalue("redis_url"))
    else:
        backend = SqliteCache(tmp_path / "cache.db")
    yield backend
    backend.close()


def test_latest_round_trip_per_host(cache: Cache) -> None:
    cache.put_latest("health", "web1", {"ts": 100.0, "cpu_percent": 12.5})
    cache.put_latest("health", "web2", {"ts": 101.0, "cpu_percent": 50})
    got = cache.get_latest("health", "web1")
    assert got.ok and got.payload["cpu_percent"] == 12.5 and got.ts == 100.0
    assert got.age(now=112.0) == 12.0
    assert cache.latest_hosts("health") == ["web1", "web2"]
    assert cache.get_latest("queue", "web1").status == "missing"


def test_heartbeat_carries_time(cache: Cache) -> None:
    assert cache.heartbeat("h").status == "missing"
    cache.beat("h", {"pid": 42, "ts": 5.0})
    beat = cache.heartbeat("h")
    assert beat.ok and beat.ts == 5.0 and beat.payload["pid"] == 42


def test_counter_take_resets_atomically(cache: Cache) -> None:
    assert cache.take("c") == 0
    cache.incr("c")
    cache.incr("c", 4)
    assert cache.take("c") == 5
    assert cache.take("c") == 0


def test_counter_under_eight_concurrent_writers(cache: Cache) -> None:
    """Sum of what was taken equals what was incremented: no increment lost at a reset."""
    per_thread, writers = 400, 8
    taken: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()
    first_reset = threading.Event()

    def write() -> None:
        try:
            for i in range(per_thread):
                if i == per_thread // 2:  # make sure a reset lands in the middle of the writes
                    first_reset.wait(timeout=10)
                cache.incr("hits")
        except BaseException as exc:  # a dead writer must fail the test, not vanish
            errors.append(exc)

    def reset() -> None:
        while not done.is_set():
            taken.append(cache.take("hits"))
            if taken[-1]:
                first_reset.set()

    resetter = threading.Thread(target=reset)
    resetter.start()
    threads = [threading.Thread(target=write) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    resetter.join()
    taken.append(cache.take("hits"))
    assert errors == []
    assert sum(taken) == per_thread * writers
    assert len([t for t in taken if t]) > 1  # the resets really interleaved with the writes


def test_capped_list_drain_and_items(cache: Cache) -> None:
    for i in range(10):
        cache.push("l", {"i": i}, maxlen=4)
    assert [x["i"] for x in cache.items("l", 2)] == [9, 8]
    assert [x["i"] for x in cache.drain("l")] == [6, 7, 8, 9]
    assert cache.drain("l") == []


def test_map(cache: Cache) -> None:
    cache.map_set("m", "a", {"v": 1})
    cache.map_set("m", "b", {"v": 2})
    cache.map_del("m", "a")
    assert cache.map_all("m") == {"b": {"v": 2}}


def test_ping(cache: Cache) -> None:
    cache.ping()


BAD_VALUES = [
    (b"not json", "not JSON"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"[1, 2]", "is a list, expected a JSON object"),
    (b'{"cpu": 1}', "no timestamp"),
    (b"{" + b'"x":"' + b"a" * (2 << 20) + b'", "ts": 1}', "(limit 1048576)"),
    (b'{"ts": NaN}', "NaN is not a number"),
    (b'{"ts": "1"}', "timestamp is a string"),
    (b'{"ts": 1e999}', "out of range"),
    (b'{"ts": 1, "x": ' + b"[" * 10000 + b"]" * 10000 + b"}", "nests 10001 levels deep"),
    (b'{"ts": 1, "ts": 2}', "'ts' appears twice"),
]


@pytest.mark.parametrize(("raw", "why"), BAD_VALUES)
def test_bad_contents_read_as_invalid_redis(redis_url: str, raw: bytes, why: str) -> None:
    client = redis.Redis.from_url(redis_url)
    client.hset(keys.latest("health"), "h", raw)
    got = RedisCache(redis_url).get_latest("health", "h")
    assert got.status == "invalid" and why in got.error


@pytest.mark.parametrize(("raw", "why"), BAD_VALUES)
def test_bad_contents_read_as_invalid_sqlite(tmp_path: Path, raw: bytes, why: str) -> None:
    cache = SqliteCache(tmp_path / "c.db")
    cache.ping()
    conn, _ = cache._connect()
    conn.execute("INSERT INTO kv_hash VALUES (?, ?, ?)", (keys.latest("health"), "h", raw))
    got = cache.get_latest("health", "h")
    assert got.status == "invalid" and why in got.error


def test_wrong_type_key_is_invalid_not_an_exception(redis_url: str) -> None:
    redis.Redis.from_url(redis_url).rpush(keys.latest("queue"), "x")
    cache = RedisCache(redis_url)
    got = cache.get_latest("queue", "h")
    assert got.status == "invalid" and "not a hash" in got.error
    assert cache.latest_hosts("queue") == []


def test_unreachable_redis_is_source_unavailable() -> None:
    cache = RedisCache("redis://127.0.0.1:1/0", timeout=0.5)
    with pytest.raises(SourceUnavailable, match=re.escape("Redis at redis://127.0.0.1:1/0")):
        cache.get_latest("health", "h")


def test_unwritable_sqlite_cache_is_source_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = SqliteCache(blocker / "cache.db")
    with pytest.raises(SourceUnavailable, match="cache file"):
        cache.ping()


def test_claims_move_counts_and_items_to_staged_until_cleared(cache: Cache) -> None:
    cache.incr("c", 5)
    for i in range(3):
        cache.push("l", {"i": i}, 100)
    assert cache.claim_count("c", "c.staged") == 5
    assert [x["i"] for x in cache.claim_items("l", "l.staged")] == [0, 1, 2]
    # a second claim before the clear (the claimer was killed) finds them again, plus new ones
    cache.incr("c", 2)
    cache.push("l", {"i": 3}, 100)
    assert cache.claim_count("c", "c.staged") == 7
    assert [x["i"] for x in cache.claim_items("l", "l.staged")] == [0, 1, 2, 3]
    assert cache.take("c") == 0 and cache.items("l", 10) == []
    cache.push("out", {"total": 7}, 10, clear=["c.staged", "l.staged"])
    assert cache.claim_count("c", "c.staged") == 0
    assert cache.claim_items("l", "l.staged") == []
    assert cache.items("out", 10) == [{"total": 7}]


def test_claim_items_keeps_the_newest_when_capped(cache: Cache) -> None:
    for i in range(5):
        cache.push("l", {"i": i}, 100)
    assert [x["i"] for x in cache.claim_items("l", "s", maxlen=3)] == [2, 3, 4]
    cache.push("l", {"i": 5}, 100)
    assert [x["i"] for x in cache.claim_items("l", "s", maxlen=3)] == [3, 4, 5]
    cache.clear(["s"])
    assert cache.claim_items("l", "s") == []


def test_stream_ids_grow_and_reads_resume_after_an_id(cache: Cache) -> None:
    from console.core.cache.base import stream_key

    ids = [cache.stream_add("s", {"n": n}, maxlen=1000) for n in range(5)]
    assert [stream_key(i) for i in ids] == sorted(stream_key(i) for i in ids)
    assert [e.item["n"] for e in cache.stream_after("s", "0-0", 10)] == [0, 1, 2, 3, 4]
    assert [e.item["n"] for e in cache.stream_after("s", ids[2], 10)] == [3, 4]
    assert [e.id for e in cache.stream_after("s", ids[0], 2)] == ids[1:3]
    assert [e.item["n"] for e in cache.stream_tail("s", 2)] == [3, 4]
    assert cache.stream_after("s", ids[-1], 10) == []


def test_stream_is_capped(cache: Cache) -> None:
    for n in range(1200):
        cache.stream_add("s", {"n": n}, maxlen=100)
    entries = cache.stream_after("s", "0-0", 5000)
    assert 100 <= len(entries) < 1200  # capped approximately, the newest always kept
    assert entries[-1].item["n"] == 1199


def test_a_closed_sqlite_cache_answers_closed_and_waits_for_reads_in_flight(
    tmp_path: Path,
) -> None:
    """The console closes the cache while a watcher thread may still read it: the read in
    flight finishes, later ones say "closed" (closing under a reader crashed the process)."""
    import threading

    cache = SqliteCache(tmp_path / "c.db")
    cache.ping()
    started, finish = threading.Event(), threading.Event()
    results: list[str] = []

    def slow_reader() -> None:
        with cache._tx() as conn:
            started.set()
            finish.wait(5)
            results.append(str(conn.execute("SELECT 1").fetchone()[0]))

    reader = threading.Thread(target=slow_reader)
    reader.start()
    assert started.wait(5)
    closer = threading.Thread(target=cache.close)
    closer.start()
    closer.join(0.2)
    assert closer.is_alive()  # close waits for the read in flight
    finish.set()
    reader.join(5)
    closer.join(5)
    assert results == ["1"] and not closer.is_alive()
    with pytest.raises(SourceUnavailable, match="closed"):
        cache.ping()
