"""A slow leak: grows by 2 MB every few seconds up to 200 MB, then starts over."""

from __future__ import annotations

import time

if __name__ == "__main__":
    held: list[bytes] = []
    while True:
        held.append(b"x" * (2 << 20))
        if len(held) > 100:
            held.clear()
            print("cache flushed", flush=True)
        print(f"cache holds {len(held) * 2} MB", flush=True)
        time.sleep(3)
