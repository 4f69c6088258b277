"""`stackwatch queues`: depths per queue; exit 1 past critical, 2 when Redis is unreachable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import redis

from console.cli import main


def _config(tmp_path: Path, redis_url: str, critical: int) -> str:
    path = tmp_path / "stackwatch.toml"
    path.write_text(
        f'host = "h"\nredis_url = "{redis_url}"\ndata_dir = "{tmp_path}"\n'
        "discover_queues = false\n"
        f'[[queue]]\nname = "jobs"\nwarning = 2\ncritical = {critical}\n'
        '[[queue]]\nname = "high"\nkind = "rq"\n'
    )
    return str(path)


def test_table_and_exit_codes(
    tmp_path: Path, redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    client = redis.Redis.from_url(redis_url)
    client.rpush("jobs", "a", "b", "c")
    client.rpush("rq:queue:high", "j1")
    assert main(["--config", _config(tmp_path, redis_url, critical=10), "queues"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == [
        "queue",
        "kind",
        "pending",
        "scheduled",
        "reserved",
        "failed",
        "oldest",
        "state",
    ]
    assert out[1].split() == ["jobs", "redis-list", "3", "-", "-", "-", "-", "warning"]
    assert out[2].split()[:3] == ["high", "rq", "1"]
    assert main(["--config", _config(tmp_path, redis_url, critical=3), "queues", "--json"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["critical"] == ["jobs"] and data["queues"][0]["pending"] == 3
    assert "past the critical threshold: jobs" in captured.err


def test_unreachable_redis_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, "redis://127.0.0.1:1/0", critical=3)
    assert main(["--config", config, "queues"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("stackwatch: Redis") and "Traceback" not in err[0]
