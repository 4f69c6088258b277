"""The demo's sample application: a huey queue of shop tasks, some slow, a few failing.

The mail server has bad spells (the first BAD_SPELL orders of each SPELL_CYCLE), when every
FAILING_EVERY-th receipt is refused; the support desk resends refused receipts by hand after
a few minutes, so their held failures go (expire_held_failures). The queue's held failures so
come and go: the shop queue is WARN during and after a spell, OK between, never CRIT.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from huey import Huey, crontab

from console.core.hueys import make_huey
from console.core.settings import Settings

QUEUE = "demo_shop"
FAILING_EVERY = 25
SPELL_CYCLE = 1000  # orders: about 11 minutes at the demo web's pace
BAD_SPELL = 300  # orders: about 3 minutes, a dozen refused receipts
HELD_FOR = 180.0  # seconds a refused receipt stays held before the desk resends it


def refused(order: int) -> bool:
    """Whether the mail server refuses this order's receipt (the same orders every run)."""
    return order % FAILING_EVERY == 0 and order % SPELL_CYCLE < BAD_SPELL


def shop_huey_path_for(data_dir: Path | str) -> Path:
    return Path(data_dir) / "shop-huey.db"


def build_shop(settings: Settings) -> tuple[Huey, dict]:
    """The shop's huey and its tasks (built on demand: importing this module opens nothing)."""
    huey = make_huey(QUEUE, settings, shop_huey_path_for(settings.data_dir), results=True)

    @huey.task(retries=1, retry_delay=2)
    def send_receipt(order: int) -> int:
        time.sleep(random.uniform(0.02, 0.3))
        if refused(order):
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

    @huey.periodic_task(crontab(minute="*"))
    def resend_refused_receipts() -> None:
        expire_held_failures(settings, time.time())

    tasks = {"send_receipt": send_receipt, "resize_image": resize_image, "remind_cart": remind_cart}
    return huey, tasks


def expire_held_failures(settings: Settings, now: float) -> int:
    """The support desk's round: failures held longer than HELD_FOR go (receipts resent by
    hand). Returns how many went; a store that does not answer is left for the next round."""
    from console.core.errors import StackwatchError
    from console.core.queues.failures import remove_older
    from console.core.store.engine import make_engine

    engine = make_engine(settings.resolved_database_url)
    try:
        return remove_older(engine, settings.host, QUEUE, now - HELD_FOR)
    except StackwatchError:
        return 0
    finally:
        engine.dispose()


def instrument_shop(huey: Huey, settings: Settings) -> object:
    """Report the shop's jobs with their arguments, so a failed one can be retried."""
    from console.core.report import instrument

    return instrument(huey, settings=settings, capture_args=True)
