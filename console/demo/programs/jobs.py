"""The shop's huey consumer, instrumented so the console sees its throughput and failures."""

from __future__ import annotations

import logging

from console.core.settings import load_settings
from console.demo.shop import build_shop, instrument_shop


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="[%(asctime)s] %(levelname)s:%(name)s:%(message)s"
    )
    settings = load_settings().settings
    huey, _tasks = build_shop(settings)
    instrument_shop(huey, settings)
    huey.create_consumer(workers=2, worker_type="thread").run()


if __name__ == "__main__":
    main()
