"""A loopback static-site server for the demo and the tests (sites served from a folder, in a thread)."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class SiteServer:
    """A running server: its base URL, a count of requested paths (with query), its mode, and a
    per-request delay in seconds (to make a loopback site as slow as a real one)."""

    base_url: str
    requests: Counter[str] = field(default_factory=Counter)
    mode: str | None = None
    delay: float = 0.0


class _Server(http.server.ThreadingHTTPServer):
    # http.server's default backlog of 5 throttles a concurrent crawler (DEPENDENCIES.md)
    request_queue_size = 128
    daemon_threads = True


def _make_handler(root: Path, routes: list[dict[str, Any]], state: SiteServer) -> type:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def _rewrite(self) -> bool:
            # Same rules as ../shared/web/serve.py (ROUTES.json format), kept here so the product
            # does not need ../shared at run time.
            parts = urllib.parse.urlsplit(self.path)
            qs = urllib.parse.parse_qs(parts.query)
            for r in routes:
                if r.get("mode") and r["mode"] != state.mode:
                    continue
                if "path" in r and parts.path != r["path"]:
                    continue
                if "path_prefix" in r and not parts.path.startswith(r["path_prefix"]):
                    continue
                if "query" in r:
                    val = qs.get(r["query"], [r.get("default")])[0]
                    if val is None:
                        continue
                    if not re.fullmatch(r"[0-9]{1,4}", val):
                        return False
                    target = r["page1"] if val == "1" and "page1" in r else r["file"].replace("{" + r["query"] + "}", val)
                else:
                    target = r["file"]
                self.path = target
                return True
            return True

        def do_GET(self) -> None:
            state.requests[self.path] += 1
            if state.delay > 0:
                time.sleep(state.delay)
            if not self._rewrite():
                self.send_error(404, "bad page parameter")
                return
            super().do_GET()

        def do_HEAD(self) -> None:
            if not self._rewrite():
                self.send_error(404, "bad page parameter")
                return
            super().do_HEAD()

        def list_directory(self, path: Any) -> None:  # type: ignore[override]
            # real sites do not expose directory listings
            self.send_error(404, "Not Found")
            return None

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return

    return functools.partial(Handler, directory=str(root))  # type: ignore[return-value]


@contextmanager
def serve_site(
    root: str | Path,
    routes: list[dict[str, Any]] | None = None,
    mode: str | None = None,
    port: int = 0,
) -> Iterator[SiteServer]:
    """Serve ``root`` on 127.0.0.1 (a free port unless given) until the block exits.

    ``routes`` are serve.py-style query/mode mappings; ``server.mode`` may be changed while running
    (e.g. to "v2" for an updated-article test).
    """
    state = SiteServer(base_url="")
    httpd = _Server(("127.0.0.1", port), _make_handler(Path(root), routes or [], state))
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    state.mode = mode
    thread = threading.Thread(target=httpd.serve_forever, name="sitesrv", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
