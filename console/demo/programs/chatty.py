"""A chatty logger: mixed levels in the formats the log screen recognises, JSON lines, an
occasional traceback, and now and then a hostile line that must be shown, never obeyed."""

from __future__ import annotations

import json
import random
import sys
import time

LEVELS = ["DEBUG", "INFO", "INFO", "INFO", "WARNING", "ERROR"]
HOSTILE = [
    "user agent: \x1b]0;pwned\x07 \x1b[2J cleared?",
    "[bold red]not markup[/] [@click=app.quit]click me[/]",
    "binary junk: \x00\x01\x9b31m\xff",
]


def line(n: int) -> str:
    level = random.choice(LEVELS)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    kind = n % 4
    if kind == 0:
        return f"[{stamp},{n % 1000:03d}] {level}:shop.checkout:order {n} processed"
    if kind == 1:
        return f"[{stamp}] local.{level}: Cache miss for key product:{n}"  # Laravel style
    if kind == 2:
        return json.dumps({"ts": stamp, "level": level.lower(), "msg": "payment", "order": n})
    return f"{stamp} {level} stock level for sku-{n % 97} is {random.randint(0, 500)}"


def main() -> None:
    n = 0
    while True:
        n += 1
        print(line(n), flush=True)
        if n % 40 == 0:
            print(
                'Traceback (most recent call last):\n  File "shop.py", line 12, in pay\n'
                "ValueError: card declined",
                file=sys.stderr,
                flush=True,
            )
        if n % 75 == 0:
            print(random.choice(HOSTILE), flush=True)
        time.sleep(random.uniform(0.05, 0.5))


if __name__ == "__main__":
    main()
