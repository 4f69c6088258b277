"""`stackwatch alerts`: exit 0 none firing, 1 firing, 2 cannot tell; `alerts test` to a real
receiver; `alerts silence` audited. Driven through `main` against a real Redis and store."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from console.cli import main
from console.core import keys
from console.core.alerts import kept
from console.core.alerts.model import AlertState
from console.core.cache import open_cache
from console.core.store import audit
from console.core.store.engine import make_engine, upgrade
from tests.alerts.receivers import free_port, webhook
from tests.jobs.helpers import settings_for

HOST = "cli-host"


@pytest.fixture
def env(redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    upgrade(make_engine(db))
    monkeypatch.setenv("STACKWATCH_REDIS_URL", redis_url)
    monkeypatch.setenv("STACKWATCH_DATABASE_URL", db)
    monkeypatch.setenv("STACKWATCH_HOST", HOST)
    return db


def evaluated(redis_url: str, *states: AlertState, ago: float = 1) -> None:
    cache = open_cache(settings_for(redis_url=redis_url))
    cache.map_set(keys.job_runs(HOST), "evaluate_alerts", {"started": time.time() - ago})
    kept.save_states(cache, HOST, {}, {s.fingerprint: s for s in states})
    cache.close()


def fatal(status: str = "firing") -> AlertState:
    now = time.time()
    return AlertState(
        "fp1",
        "program_fatal",
        "web:web_0",
        status,
        now - 90,
        summary="web:web_0 is FATAL",
        fired_at=now - 90,
    )


def test_no_evaluation_yet_is_cannot_tell(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts"]) == 2
    assert "cannot tell" in capsys.readouterr().err


def test_none_firing_is_0(env: str, redis_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    evaluated(redis_url, fatal("resolved"))
    assert main(["alerts"]) == 0
    assert "RESOLVED  program_fatal  web:web_0" in capsys.readouterr().out


def test_firing_is_1_and_json_says_it(env: str, redis_url: str, capsys) -> None:
    evaluated(redis_url, fatal())
    assert main(["alerts"]) == 1
    assert "FIRING  program_fatal  web:web_0  for 1m3" in capsys.readouterr().out
    assert main(["alerts", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["firing"] == 1 and out["alerts"][0]["subject"] == "web:web_0"


def test_an_old_evaluation_is_cannot_tell(env: str, redis_url: str, capsys) -> None:
    evaluated(redis_url, fatal(), ago=3600)
    assert main(["alerts"]) == 2
    assert "last evaluated" in capsys.readouterr().err


def test_cache_down_is_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("STACKWATCH_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    assert main(["alerts"]) == 2


def test_test_sends_to_a_real_receiver(env: str, capsys) -> None:
    with webhook() as hook:
        assert main(["alerts", "test", hook.url]) == 0
    assert hook.titles() == ["[TEST] cli-host: test — stackwatch"]
    assert f"json://127.0.0.1:{hook.port}/***: sent" in capsys.readouterr().out


def test_test_failures_and_bad_targets(env: str, capsys) -> None:
    assert main(["alerts", "test", f"json://127.0.0.1:{free_port()}/t0ps3cret"]) == 1
    assert "t0ps3cret" not in capsys.readouterr().out
    assert main(["alerts", "test", "not a url"]) == 2
    assert main(["alerts", "test"]) == 2  # nothing configured
    assert "no targets" in capsys.readouterr().err


def test_silence_is_audited_and_shown(env: str, redis_url: str, capsys) -> None:
    evaluated(redis_url, fatal())
    assert main(["alerts", "silence", "fp1", "--for", "2h", "--reason", "deploying"]) == 0
    assert "silenced fp1 for 2h00m: deploying" in capsys.readouterr().out
    assert main(["alerts"]) == 1
    assert "silence fp1 until" in capsys.readouterr().out
    (entry,) = audit.recent(make_engine(env))
    assert entry.action == "silence_alert" and entry.target == "fp1"
    assert main(["alerts", "silence", "fp1", "--reason", "x", "--for", "soon"]) == 2
    assert main(["alerts", "silence", "fp1"]) == 2
