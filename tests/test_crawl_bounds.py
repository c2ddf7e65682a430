"""Crawl bounds: a sitemap index chaining to a next index forever, and a per-source request budget."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from spiders.config import Source
from spiders.run import crawl, iter_items

FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "RETRY_ENABLED": False,
        "LOG_LEVEL": "WARNING"}


@contextmanager
def endless_sitemaps(articles_per_index: int = 2) -> Iterator[tuple[str, list[str]]]:
    """/sm-N.xml is an index linking to /sm-(N+1).xml and to a urlset of articles; every article answers."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"  # type: ignore[index]
            if self.path.startswith("/sm-"):
                n = int(self.path[4:].split(".")[0])
                body = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                        f"<sitemap><loc>{base}/sm-{n + 1}.xml</loc></sitemap>"
                        f"<sitemap><loc>{base}/urls-{n}.xml</loc></sitemap></sitemapindex>")
                ctype = "application/xml"
            elif self.path.startswith("/urls-"):
                n = int(self.path[6:].split(".")[0])
                locs = "".join(f"<url><loc>{base}/art/{n}-{i}.html</loc></url>" for i in range(articles_per_index))
                body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
                ctype = "application/xml"
            else:
                body = "<html><body><h1>招商项目</h1><p>" + "项目签约落户。" * 30 + "</p></body></html>"
                ctype = "text/html; charset=utf-8"
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.request_queue_size = 128
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()


def test_an_endless_sitemap_index_chain_is_cut_and_counted(tmp_path: Path) -> None:
    with endless_sitemaps() as (base, seen):
        report = crawl([Source(name="s", url=f"{base}/sm-0.xml", kind="sitemap")], tmp_path / "out.jsonl",
                       timeout_s=60, settings={**FAST, "INVESTWATCH_SITEMAP_MAX_DEPTH": 3})
    indexes = [p for p in seen if p.startswith("/sm-")]
    assert len(indexes) <= 4, indexes  # the entry index and three levels below it
    assert report.per_source["s"]["sitemap_limit_reached"] == 1
    assert report.returncode == 0


def test_the_request_budget_of_a_source_is_kept_and_counted(tmp_path: Path) -> None:
    with endless_sitemaps(articles_per_index=40) as (base, seen):
        report = crawl([Source(name="s", url=f"{base}/sm-0.xml", kind="sitemap")], tmp_path / "out.jsonl",
                       timeout_s=60, settings={**FAST, "INVESTWATCH_MAX_REQUESTS_PER_SOURCE": 25})
    assert len(seen) <= 25
    stats = report.per_source["s"]
    assert stats["request_limit_reached"] == 1 and stats["requests"] == 25 and stats["requests_dropped"] > 0
    assert len(list(iter_items(tmp_path / "out.jsonl"))) > 0
