"""A TCP proxy run as its own process, to make a server unreachable (stop it) or hung (SIGSTOP).

    python -m tests.support.tcpproxy LISTEN_PORT TARGET_HOST TARGET_PORT

`Proxy` starts it and stops it for real: terminating the process closes every connection
(the client sees a reset, then "connection refused"), and SIGSTOP leaves the connections
open with nobody answering, as a hung server or network does.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(listen_port: int, host: str, port: int) -> None:
    server = socket.create_server(("127.0.0.1", listen_port), reuse_port=False)
    print("ready", flush=True)
    while True:
        client, _ = server.accept()
        try:
            upstream = socket.create_connection((host, port), timeout=5)
            upstream.settimeout(None)
        except OSError:
            client.close()
            continue
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=_pump, args=(a, b), daemon=True).start()


class Proxy:
    """The proxy process: start(), stop() (unreachable), hang() / resume() (SIGSTOP / SIGCONT)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process: subprocess.Popen | None = None

    def start(self) -> Proxy:
        deadline = time.monotonic() + 10
        while True:  # the port may be in TIME_WAIT for a moment after a stop
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.support.tcpproxy",
                    str(self.port),
                    *map(str, self.target),
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            if self.process.stdout.readline().strip() == "ready":
                return self
            self.process.wait()
            if time.monotonic() > deadline:
                raise RuntimeError("the TCP proxy did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def hang(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
