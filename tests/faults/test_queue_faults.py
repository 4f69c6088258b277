"""Hostile messages in a watched huey schedule (real Redis): a zlib bomb, damaged bytes, a
duplicate task id, arguments nested 10000 deep. Each is an invalid reading with its reason on
the Queues screen, which keeps running; the good tasks are still listed."""

from __future__ import annotations

import datetime as dt
import pickle
import zlib
from pathlib import Path

from huey import RedisHuey
from huey.registry import Message

from console.core.queues import huey_tasks
from console.tui.app import make_app
from tests.queues.helpers import HOST, make_settings, queues_feed, spec
from tests.tui.test_dashboard_pilot import screen_text, sync, wait_for

ETA = dt.datetime(2100, 1, 1)


def _message(task_id: str, args: tuple = ()) -> bytes:
    return pickle.dumps(Message(task_id, "shop.remind", ETA, args=args, kwargs={}))


def _deep_message(task_id: str, depth: int) -> bytes:
    """A message whose argument is a list nested `depth` deep: built from pickle opcodes,
    since pickle.dumps itself recurses (EMPTY_LIST n times, then APPEND n-1 times)."""
    marker = "PLACEHOLDER"
    # Protocol 2 has no frames whose lengths the splice would break (and no eta: its
    # datetime would be pickled through _codecs, which the console does not load).
    data = pickle.dumps(
        Message(task_id, "shop.remind", None, args=(marker,), kwargs={}), protocol=2
    )
    encoded = b"X" + len(marker).to_bytes(4, "little") + marker.encode()
    assert encoded in data
    return data.replace(encoded, b"]" * depth + b"a" * (depth - 1))


def _hostile_schedule(redis_url: str) -> None:
    storage = RedisHuey("mailer", url=redis_url).storage
    for data in (
        _message("good-1"),
        zlib.compress(b"\0" * (16 << 20)),  # 16 MiB from 16 KiB
        b"\x78\x9cdamaged",
        _message("good-1", ("again",)),  # the same task id again
        zlib.compress(_deep_message("deep-1", 10000)),
    ):
        storage.add_to_schedule(data, ETA)


def test_a_hostile_schedule_reads_as_invalid_messages(tmp_path: Path, redis_url: str) -> None:
    _hostile_schedule(redis_url)
    settings = make_settings(tmp_path, redis_url, queues=(spec("mailer", "huey"),))
    view = queues_feed(settings).load(HOST)
    assert [t.task_id for t in view.scheduled] == ["good-1", "deep-1"]  # no eta: last
    assert "[[[" in next(t.args for t in view.scheduled if t.task_id == "deep-1")
    error = view.scheduled_error or ""
    assert error.startswith("mailer: 3 messages invalid: ") and "\n" not in error
    _, invalid = huey_tasks.read_schedule("mailer", RedisHuey("mailer", url=redis_url))
    reasons = sorted(i.reason for i in invalid)
    assert reasons == [
        "compressed payload expands past 4194304 bytes",
        "message does not load (EOFError)",
        "task good-1 is scheduled twice",
    ]


@sync
async def test_the_queues_screen_shows_them_and_keeps_running(
    tmp_path: Path, redis_url: str
) -> None:
    _hostile_schedule(redis_url)
    settings = make_settings(tmp_path, redis_url, queues=(spec("mailer", "huey"),))
    app = make_app(settings)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("3")
        await wait_for(pilot, lambda: "3 messages invalid" in screen_text(app), 10.0)
        assert app.is_running and app.return_code is None


def test_a_key_name_that_is_not_utf8_is_not_discovered(redis_url: str) -> None:
    import redis

    from console.core.queues.discover import discover

    client = redis.Redis.from_url(redis_url)
    client.rpush(b"queues:\xff\xfe", b"{}")
    client.rpush(b"queues:[@click=app.quit]x[/]", b"{}")
    assert [q.name for q in discover(client)] == ["[@click=app.quit]x[/]"]
