"""Settings added for the queues screen, and what the job signal handler records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from huey import SqliteHuey, crontab

from console.core import jobhistory
from console.core.queues.huey_source import HueyKeyProblem, open_huey
from console.core.settings import QueueSpec, load_settings
from jobs import schedule


def test_queue_settings_load_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        "discover_queues = false\n[refresh]\nqueues = 5\n"
        "[thresholds]\njob_runtime_s = [60, 600]\n"
        '[[queue]]\nname = "shop"\nkind = "huey"\nkey = "sqlite:/x.db#demo_shop"\nhidden = true\n'
    )
    settings = load_settings(str(path), env={}).settings
    assert settings.discover_queues is False and settings.refresh_queues == 5.0
    assert settings.threshold("job_runtime_s").warning == 60
    assert settings.queues[0] == QueueSpec("shop", "huey", "sqlite:/x.db#demo_shop", hidden=True)
    defaults = load_settings(env={}).settings
    assert defaults.discover_queues and defaults.threshold("job_runtime_s").warning == 300


def test_a_file_with_several_queues_needs_a_name(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    for name in ("a", "b"):
        app = SqliteHuey(name, filename=str(path))

        @app.task(name=f"t_{name}")
        def job() -> None:
            return None

        job()
    with pytest.raises(HueyKeyProblem, match="add #name"):
        open_huey(QueueSpec("x", "huey", key=f"sqlite:{path}"))
    assert open_huey(QueueSpec("x", "huey", key=f"sqlite:{path}#b")).pending_count() == 1


def test_next_due_steps_only_pure_crontabs(tmp_path: Path) -> None:
    app = SqliteHuey("t", filename=str(tmp_path / "t.db"))

    @app.periodic_task(crontab(minute="30", hour="2"))
    def nightly() -> None:
        return None

    due = schedule.Due(schedule.Entry("x", every=60), "UTC")

    @app.periodic_task(due)
    def ours() -> None:
        return None

    after = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC).timestamp()
    expected = dt.datetime(2026, 3, 3, 2, 30, tzinfo=dt.UTC).timestamp()
    assert jobhistory.next_due(nightly.s(), after) == expected
    assert jobhistory.next_due(ours.s(), after) is None
    assert due._last is None  # a stateful validator is never called from the recorder
