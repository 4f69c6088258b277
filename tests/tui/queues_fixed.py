"""A queues screen on fixed data (no clock, no host, no services): for snapshots and Pilot."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from console.core.feeds.queues import QueueLine, QueuesView
from console.core.periodic import LedgerRow
from console.core.queues.failures import Failure
from console.core.queues.huey_tasks import ScheduledTask
from console.core.queues.jobstats import InFlight, TaskStats, Tiles
from console.core.settings import Settings
from console.tui import app as app_module
from console.tui.app import StackwatchApp
from tests.tui import dash_data

NOW = dt.datetime(2026, 3, 2, 10, 2, 5, tzinfo=dt.UTC).timestamp()
HOSTILE = "[bold red]boom[/] \\x1b[2J"  # as the sanitizer leaves an escape: visible, inert

VIEW = QueuesView(
    ts=NOW,
    host="web-1",
    queues=(
        QueueLine(
            "shop",
            "huey",
            "settings",
            1250,
            3,
            None,
            None,
            None,
            None,
            (10.0, 40.0, 200.0, 600.0, 900.0, 1250.0),
            1050,
            "critical",
        ),
        QueueLine(
            "emails",
            "laravel",
            "found: Laravel queue list",
            140,
            2,
            1,
            None,
            125.0,
            None,
            (),
            None,
            "warning",
        ),
        QueueLine(
            "high", "rq", "found: RQ queue list", 2, 0, 0, 3, 600.0, None, (), None, "warning"
        ),
        QueueLine(
            "celery",
            "celery",
            "found: Celery binding",
            0,
            None,
            0,
            None,
            None,
            None,
            (0.0, 0.0),
            0,
            "ok",
        ),
        QueueLine(
            "[red]x[/red]",
            "redis-list",
            "settings",
            None,
            None,
            None,
            None,
            None,
            "key [red]x[/red] does not exist",
            (),
            None,
            "ok",
        ),
    ),
    tiles=Tiles(12.4, 744, 3, 1520.0, 8200.0),
    tasks=(
        TaskStats("demo_shop", "send_receipt", 600, 3, 140.0, 290.0),
        TaskStats("demo_shop", HOSTILE, 144, 0, 450.0, 790.0),
    ),
    inflight=(
        InFlight("a1", "demo_shop", "resize_image", NOW - 900, 900.0, True),
        InFlight("b2", "demo_shop", "send_receipt", NOW - 2, 2.0, False),
    ),
    failures=(
        Failure(
            7,
            NOW - 60,
            "demo_shop",
            "send_receipt",
            "t-7",
            1,
            "ConnectionError: SMTP server refused order 12 [421 try later]",
            'Traceback (most recent call last):\n  File "shop.py", line 3\n'
            "ConnectionError: SMTP server refused order 12 [421 try later]",
            True,
            None,
        ),
        Failure(
            6,
            NOW - 3600,
            "demo_shop",
            HOSTILE,
            "t-6",
            0,
            f"ValueError: {HOSTILE}",
            "",
            False,
            "its arguments were not captured",
        ),
    ),
    ledger=(
        LedgerRow(
            "collect_system_metrics",
            "stackwatch",
            "every 1m",
            NOW - 125,
            120.0,
            "ok",
            None,
            NOW - 5,
            True,
        ),
        LedgerRow(
            "store_metrics",
            "stackwatch",
            "every 5m",
            NOW - 125,
            80.0,
            "error",
            "database down",
            NOW + 175,
            False,
        ),
        LedgerRow(
            "cleanup_old_metrics",
            "stackwatch",
            "daily 02:00 UTC",
            None,
            None,
            None,
            None,
            NOW + 57475,
            False,
        ),
        LedgerRow("restock", "demo_shop", "crontab", NOW - 65, 50.0, "ok", None, NOW - 5, False),
    ),
    scheduled=(
        ScheduledTask("shop", "id-1", "send_receipt", NOW + 600, "(12,)", False),
        ScheduledTask("shop", "id-2", "resize_image", NOW + 7200, "(13,)", True),
    ),
)


class FixedQueues:
    """A queues feed answering every load with VIEW; counts its loads."""

    def __init__(self) -> None:
        self.loads = 0

    def load(self, host: str, as_of: float | None = None) -> QueuesView:
        self.loads += 1
        return VIEW

    def actions(self, host: str) -> Any:
        raise AssertionError("fixed data: no actions")

    def close(self) -> None:
        pass


class FixedApp(StackwatchApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))
    DEFAULT_MODE = "queues"


def fixed_app(read_only: bool = False, queues: FixedQueues | None = None, **overrides) -> FixedApp:
    settings = Settings(host="web-1", read_only=read_only, data_dir="/nonexistent", **overrides)
    steady = dash_data.steady(settings)
    steady["feeds"] = replace(steady["feeds"], queues=queues or FixedQueues())
    return FixedApp(settings, **steady)
