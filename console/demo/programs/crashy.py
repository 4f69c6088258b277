"""A program that cannot start: it exits at once, so supervisord ends in FATAL."""

from __future__ import annotations

import sys
import time

if __name__ == "__main__":
    print("connecting to payments gateway at 10.0.0.1:9 ...", flush=True)
    time.sleep(0.2)
    print(
        "fatal: payments gateway unreachable (demo: this program always crashes)", file=sys.stderr
    )
    sys.exit(3)
