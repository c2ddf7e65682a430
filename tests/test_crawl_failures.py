"""Failing servers: retries with back-off, timeouts, redirect loops and 404s are recorded, the crawl completes."""

from __future__ import annotations

import http.server
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spiders.config import Source
from spiders.items import FetchedPage
from spiders.run import crawl, iter_items

ARTICLES = {
    "/news/2024/flaky.html": "服务器先出错两次后恢复的文章",
    "/news/2024/slow.html": "响应比超时时间还慢的文章页面",
    "/news/2024/loop.html": "陷入重定向循环的文章页面",
    "/news/2024/moved.html": "永久移动到新地址的文章页面",
    "/news/2024/gone.html": "已经被删除的文章页面链接",
}
SLOW_S = 2.5  # the handler sleeps this long; DOWNLOAD_TIMEOUT is 1 s
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "LOG_LEVEL": "WARNING",
    "DOWNLOAD_TIMEOUT": 1,
    "RETRY_TIMES": 2,
    "RETRY_BACKOFF_BASE": 0.2,
}


def _article(title: str) -> bytes:
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>正文。</p></body></html>".encode()


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True


class FlakyHandler(http.server.BaseHTTPRequestHandler):
    hits: defaultdict[str, list[float]]  # set per server: path -> request times

    def do_GET(self) -> None:
        self.hits[self.path].append(time.monotonic())
        n = len(self.hits[self.path])
        if self.path == "/list.html":
            links = "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in ARTICLES.items())
            self._send(200, f"<html><body><ul>{links}</ul></body></html>".encode())
        elif self.path == "/news/2024/flaky.html":
            self._send(500, b"busy") if n <= 2 else self._send(200, _article(ARTICLES[self.path]))
        elif self.path == "/news/2024/slow.html":
            time.sleep(SLOW_S)
            self._send(200, _article(ARTICLES[self.path]))
        elif self.path in ("/news/2024/loop.html", "/news/2024/loop2.html"):
            other = "/news/2024/loop2.html" if self.path.endswith("loop.html") else "/news/2024/loop.html"
            self._send(302, b"", location=other)
        elif self.path == "/news/2024/moved.html":
            self._send(301, b"", location="/news/2024/final.html")
        elif self.path == "/news/2024/final.html":
            self._send(200, _article(ARTICLES["/news/2024/moved.html"]), etag='"v1"')
        else:
            self._send(404, b"not found")

    def _send(self, status: int, body: bytes, location: str | None = None, etag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, FetchedPage], dict[str, list[float]]]]:
    hits: defaultdict[str, list[float]] = defaultdict(list)
    handler = type("H", (FlakyHandler,), {"hits": hits})
    httpd = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    out: Path = tmp_path_factory.mktemp("failures") / "items.jsonl"
    try:
        report = crawl([Source(name="flaky", url=base + "/list.html", allow=r"/news/")], out, timeout_s=60, settings=SETTINGS)
    finally:
        httpd.shutdown()
        httpd.server_close()
    items = {it.url.removeprefix(base): it for it in iter_items(out)}
    yield report, items, hits


def test_crawl_completes_and_counts(crawled: Any) -> None:
    report, items, _ = crawled
    assert report.returncode == 0, report.stderr_tail
    assert report.finish_reason == "finished"
    assert set(items) == set(ARTICLES)  # one item per linked article: stored or failed
    assert report.articles == 2 and report.errors == 3


def test_500_twice_then_200_is_stored_once_with_backoff(crawled: Any) -> None:
    _, items, hits = crawled
    page = items["/news/2024/flaky.html"]
    assert page.ok and page.status == 200 and ARTICLES["/news/2024/flaky.html"] in page.text
    times = hits["/news/2024/flaky.html"]
    assert len(times) == 3
    # back-off: the first retry waits >= 0.2 s, the second >= 0.4 s
    assert times[1] - times[0] >= 0.18 and times[2] - times[1] >= 0.38


def test_slow_page_is_a_timeout_failure(crawled: Any) -> None:
    _, items, hits = crawled
    page = items["/news/2024/slow.html"]
    assert not page.ok and page.status == 0 and page.role == "article"
    assert "TimeoutError" in (page.error or "") and "took longer than 1" in (page.error or "")
    assert len(hits["/news/2024/slow.html"]) == 3  # first try + RETRY_TIMES retries


def test_redirect_loop_is_a_named_failure(crawled: Any) -> None:
    _, items, _ = crawled
    page = items["/news/2024/loop.html"]
    assert not page.ok and page.status == 0
    assert (page.error or "").startswith("redirect loop:"), page.error
    assert [u.rsplit("/", 1)[1] for u in page.redirect_urls] == ["loop.html", "loop2.html"]


def test_redirect_followed_and_recorded(crawled: Any) -> None:
    _, items, _ = crawled
    page = items["/news/2024/moved.html"]
    assert page.ok and page.final_url.endswith("/news/2024/final.html")
    assert [u.rsplit("/", 1)[1] for u in page.redirect_urls] == ["moved.html"]
    # validators for the next run's conditional GET
    assert page.headers["etag"] == '"v1"' and page.headers["last-modified"].startswith("Mon, 01 Jan 2024")
    assert page.known_page().etag == '"v1"'


def test_404_recorded_not_an_article(crawled: Any) -> None:
    _, items, hits = crawled
    page = items["/news/2024/gone.html"]
    assert page.status == 404 and page.error == "HTTP 404" and not page.ok
    assert len(hits["/news/2024/gone.html"]) == 1  # 404 is not retried
