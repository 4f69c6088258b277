"""A test program: prints numbered lines at a steady pace (so supervisord rotates its log)."""

import sys
import time

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.001
for i in range(count):
    print(f"line {i:06d} " + "x" * 40, flush=True)
    time.sleep(delay)
time.sleep(3600)
