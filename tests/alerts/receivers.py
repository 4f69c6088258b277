"""Real receivers on loopback: an HTTP server taking apprise's webhook JSON (json://) and an
SMTP server taking mail (mailto://)."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Webhook:
    """An HTTP server on a fixed port that can go down and come back; keeps each JSON body."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.server: HTTPServer | None = None

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def _handle(self, request: Request) -> Response:
        with self._lock:
            self.received.append(json.loads(request.get_data() or b"{}"))
        return Response("ok")

    def start(self) -> Webhook:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
        self.server = HTTPServer(host="127.0.0.1", port=self.port)
        self.server.expect_request("/hook", method="POST").respond_with_handler(self._handle)
        self.server.start()
        return self

    def stop(self) -> None:
        if self.server is not None and self.server.is_running():
            self.server.stop()

    def titles(self) -> list[str]:
        with self._lock:
            return [item.get("title", "") for item in self.received]


@contextmanager
def webhook(port: int | None = None) -> Iterator[Webhook]:
    hook = Webhook(port).start()
    try:
        yield hook
    finally:
        hook.stop()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@contextmanager
def smtp() -> Iterator[tuple[str, _Mailbox]]:
    """(a mailto:// target, the mailbox it fills)."""
    port = free_port()
    box = _Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"mailto://127.0.0.1:{port}?from=sw@example.com&to=ops@example.com&mode=insecure", box
    finally:
        controller.stop()
