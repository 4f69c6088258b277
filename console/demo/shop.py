"""The demo's sample application: a huey queue of shop tasks, some slow, a few failing."""

from __future__ import annotations

import random
import time
from pathlib import Path

from huey import Huey, crontab

from console.core.hueys import make_huey
from console.core.settings import Settings

QUEUE = "demo_shop"


def shop_huey_path_for(data_dir: Path | str) -> Path:
    return Path(data_dir) / "shop-huey.db"


def build_shop(settings: Settings) -> tuple[Huey, dict]:
    """The shop's huey and its tasks (built on demand: importing this module opens nothing)."""
    huey = make_huey(QUEUE, settings, shop_huey_path_for(settings.data_dir), results=True)

    @huey.task(retries=1, retry_delay=2)
    def send_receipt(order: int) -> int:
        time.sleep(random.uniform(0.02, 0.3))
        if random.random() < 0.04:
            raise ConnectionError(f"SMTP server refused order {order} [421 try later]")
        return order

    @huey.task()
    def resize_image(order: int) -> int:
        time.sleep(random.uniform(0.1, 0.8))
        return order

    @huey.periodic_task(crontab(minute="*"))
    def restock() -> None:
        time.sleep(0.05)

    return huey, {"send_receipt": send_receipt, "resize_image": resize_image}
