"""GBK pages whose charset is declared only in the HTTP header, or nowhere: crawled and extracted ungarbled."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from parsers.html import extract_page
from spiders.config import Source
from spiders.run import crawl, iter_items

FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": False}
TITLE = "鹤山市重大项目集中签约仪式举行"
ARTICLE = (
    f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><div class='info'>2023年02月03日 来源：鹤山发布</div>"
    + "".join(f"<p>第{i}段：鹤山市重大项目集中签约，总投资超百亿元，涉及新能源、新材料等产业。</p>" for i in range(6))
    + "</body></html>"
)
LIST = f'<html><body><ul><li><a href="/xw/t20230203_1.html">{TITLE}</a><span>2023-02-03</span></li></ul></body></html>'


@contextmanager
def gbk_server(content_type: str | None) -> Iterator[str]:
    """Serves LIST at /xw/ and ARTICLE at /xw/t20230203_1.html, GBK-encoded, with the given Content-Type."""
    pages = {"/xw/": LIST.encode("gbk"), "/xw/t20230203_1.html": ARTICLE.encode("gbk")}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - stdlib hook
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _crawl_one(tmp_path: Path, content_type: str | None) -> tuple[str, str | None, bytes]:
    with gbk_server(content_type) as base:
        out = tmp_path / f"items-{content_type or 'none'}.jsonl".replace("/", "_").replace(";", "").replace(" ", "")
        report = crawl([Source(name="gbk", url=base + "/xw/")], out, settings=FAST, timeout_s=60)
        items = [p for p in iter_items(out) if p.ok]
    assert report.returncode == 0, report.stderr_tail
    (page,) = items
    assert page.url.endswith("/xw/t20230203_1.html") and page.list_title == TITLE
    return page.text, page.encoding, page.body


def test_gbk_declared_in_the_http_header_only(tmp_path: Path) -> None:
    text, encoding, body = _crawl_one(tmp_path, "text/html; charset=GBK")
    assert encoding and encoding.lower() in ("gbk", "gb18030", "cp936")
    stored = body.decode(encoding, errors="replace")  # what the extract stage decodes
    page = extract_page(stored, "http://h/xw/t20230203_1.html")
    assert (page.title, page.published, page.source) == (TITLE, "2023-02-03", "鹤山发布")
    assert "\ufffd" not in page.text and "新能源" in page.text and text == stored


def test_gbk_declared_nowhere(tmp_path: Path) -> None:
    for content_type in ("text/html", None):
        text, encoding, body = _crawl_one(tmp_path, content_type)
        assert encoding and encoding.lower() in ("gbk", "gb18030", "cp936"), encoding
        page = extract_page(body.decode(encoding, errors="replace"), "http://h/xw/t20230203_1.html")
        assert page.title == TITLE and "\ufffd" not in page.text and "总投资超百亿元" in page.text
