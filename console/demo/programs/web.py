"""A pretend web app: requests with realistic latencies, reported to stackwatch, and orders
that enqueue shop tasks. Prints an access log."""

from __future__ import annotations

import random
import time

from console.core.report import configure
from console.core.settings import load_settings
from console.demo.shop import build_shop

PATHS = ["/", "/cart", "/checkout", "/api/orders", "/search?q=[bold]shoes[/]"]


def main() -> None:
    settings = load_settings().settings
    reporter = configure(settings)
    _huey, tasks = build_shop(settings)
    order = 0
    while True:
        batch = []
        for _ in range(random.randint(3, 12)):
            ms = random.lognormvariate(3.3, 0.6)
            status = 500 if random.random() < 0.01 else 200
            batch.append((ms, status))
            path = random.choice(PATHS)
            print(f'127.0.0.1 - "GET {path} HTTP/1.1" {status} {ms:.1f}ms', flush=True)
        reporter.record_requests(batch)
        if random.random() < 0.6:
            order += 1
            tasks["send_receipt"](order)
            if order % 3 == 0:
                tasks["resize_image"](order)
            if order % 10 == 0:
                tasks["remind_cart"].schedule((order,), delay=random.randint(120, 900))
        time.sleep(random.uniform(0.2, 0.6))


if __name__ == "__main__":
    main()
