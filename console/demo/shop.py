"""The demo's sample application: a huey queue of shop tasks, some slow, a few failing."""

from __future__ import annotations

import random
import time
from pathlib import Path

from huey import Huey, crontab

from console.core.hueys import make_huey
from console.core.settings import Settings

QUEUE = "demo_shop"
FAILING_EVERY = 25


def shop_huey_path_for(data_dir: Path | str) -> Path:
    return Path(data_dir) / "shop-huey.db"


def build_shop(settings: Settings) -> tuple[Huey, dict]:
    """The shop's huey and its tasks (built on demand: importing this module opens nothing)."""
    huey = make_huey(QUEUE, settings, shop_huey_path_for(settings.data_dir), results=True)

    @huey.task(retries=1, retry_delay=2)
    def send_receipt(order: int) -> int:
        time.sleep(random.uniform(0.02, 0.3))
        if order % FAILING_EVERY == 0:  # about 4 %, and the same orders every run
            raise ConnectionError(f"SMTP server refused order {order} [421 try later]")
        return order

    @huey.task()
    def resize_image(order: int) -> int:
        time.sleep(random.uniform(0.1, 0.8))
        return order

    @huey.task()
    def remind_cart(order: int) -> int:
        """Scheduled minutes ahead, so the Scheduled tab has tasks to revoke and restore."""
        return order

    @huey.periodic_task(crontab(minute="*"))
    def restock() -> None:
        time.sleep(0.05)

    tasks = {"send_receipt": send_receipt, "resize_image": resize_image, "remind_cart": remind_cart}
    return huey, tasks


def instrument_shop(huey: Huey, settings: Settings) -> object:
    """Report the shop's jobs with their arguments, so a failed one can be retried."""
    from console.core.report import instrument

    return instrument(huey, settings=settings, capture_args=True)
