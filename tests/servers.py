"""Real loopback servers for the alert tests: a JSON webhook receiver and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class HttpSink:
    """What a webhook receiver saw; it answers `statuses` in turn, then `status`."""

    port: int = 0
    status: int = 200
    statuses: list[int] = field(default_factory=list)
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # every POST: (path, JSON body)
    answered: list[int] = field(default_factory=list)  # the status each request got
    reply: bytes = b"okay"  # the body of a 2xx answer (vendors confirm delivery in it: Slack wants b"ok")
    delay_s: float = 0.0  # a slow receiver: wait this long after reading the request, before answering
    delays: list[float] = field(default_factory=list)  # per request in turn (then delay_s): hold the Nth one

    @property
    def delivered(self) -> list[dict[str, Any]]:
        """Bodies of the requests that were accepted (2xx)."""
        return [body for (_, body), st in zip(self.requests, self.answered, strict=True) if st < 300]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # a sender killed or timed out while its request was held: the late answer hits a closed socket
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free 127.0.0.1 port in a thread until the block exits; yields the base URL."""
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def http_receiver(statuses: list[int] | None = None) -> Iterator[HttpSink]:
    sink = HttpSink(statuses=list(statuses or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            status = sink.statuses.pop(0) if sink.statuses else sink.status
            sink.requests.append((self.path, payload))
            sink.answered.append(status)
            delay = sink.delays.pop(0) if sink.delays else sink.delay_s
            if delay:
                time.sleep(delay)
            self.send_response(status)
            body = b"nope" if status >= 300 else sink.reply
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    with serving(Handler) as base_url:
        sink.port = int(base_url.rsplit(":", 1)[1])
        yield sink


class MailBox:
    """An aiosmtpd handler keeping (from, recipients, message); `reply` other than 250 rejects."""

    def __init__(self, reply: str = "250 OK") -> None:
        self.reply = reply
        self.messages: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd hook
        if self.reply.startswith("250"):
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return self.reply


@contextmanager
def smtp_server() -> Iterator[tuple[MailBox, int]]:
    # aiosmtpd's ready check cannot use port 0: pick a free port first
    box, port = MailBox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()
