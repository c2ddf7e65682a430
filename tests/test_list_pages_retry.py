"""A list page that fails is kept pending in the frontier and fetched first next run; one that keeps failing
is given up after N runs and reported (loopback site, real pipeline runs on SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from flows.cli_sources import sources_app
from flows.pipeline import pipeline_body
from storage.db import make_engine, session_factory
from storage.models import Article, ListPage
from tests.servers import serving

FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "RETRY_TIMES": 0, "LOG_LEVEL": "WARNING",
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_TIMEOUT": 5}
BODY = "<p>{t}：某区新能源电池材料项目正式签约落户，总投资约二十亿元，建成后年产值可达五十亿元。</p>" * 3
TITLES = {1: "某区新能源电池材料项目签约落户", 2: "某县智能装备产业园项目开工建设", 3: "某市食品产业基地项目投产运营"}


@dataclass
class Site:
    """A two-page list; ``page2`` is "ok", "503" or "garbage" (a body no listing parser can read)."""

    page2: str = "ok"
    log: list[str] = field(default_factory=list)
    base_url: str = ""


def _item(n: int) -> str:
    return f'<li><a href="/news/post_{n}.html">{TITLES[n]}</a><span>2024-03-0{n}</span></li>'


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server hook
            site.log.append(self.path)
            status, ctype, body = 200, "text/html; charset=utf-8", b""
            if self.path == "/robots.txt":
                ctype, body = "text/plain", b"User-agent: *\n"
            elif self.path == "/news/index.html":
                body = f'<html><body><ul>{_item(1)}</ul><a href="/news/index_2.html">下一页</a></body></html>'.encode()
            elif self.path == "/news/index_2.html" and site.page2 == "503":
                status, body = 503, b"busy"
            elif self.path == "/news/index_2.html" and site.page2 == "garbage":
                ctype, body = "application/json", b'{"data": {"list": [{"url": "/news/post_2.ht'
            elif self.path == "/news/index_2.html":
                body = f"<html><body><ul>{_item(2)}{_item(3)}</ul></body></html>".encode()
            elif self.path.startswith("/news/post_"):
                n = int(self.path.removeprefix("/news/post_").removesuffix(".html"))
                body = f"<html><head><title>{TITLES[n]}</title></head><body><h1>{TITLES[n]}</h1>" \
                       f"{BODY.format(t=TITLES[n])}</body></html>".encode()
            else:
                status, body = 404, b"no"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return

    with serving(Handler) as site.base_url:
        yield site


def _run(tmp_path: Path, site: Site, day: int) -> dict[str, Any]:
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - {{name: district, url: '{site.base_url}/news/index.html'}}\n", encoding="utf-8")
    site.log.clear()
    return pipeline_body(str(sources), None, str(tmp_path / "data"), "run", f"2024-05-{day:02d}", FAST)


def _db(tmp_path: Path) -> tuple[list[str], list[ListPage]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'investwatch.db'}")
    with session_factory(engine)() as s:
        titles = sorted(t for t in s.execute(select(Article.title)).scalars() if t)
        rows = list(s.execute(select(ListPage)).scalars())
    engine.dispose()
    return titles, rows


@pytest.mark.parametrize("failure", ["503", "garbage"])
def test_list_page_failing_on_run_1_yields_its_articles_on_run_2(tmp_path: Path, failure: str) -> None:
    with serve(Site(page2=failure)) as site:
        first = _run(tmp_path, site, 1)
        titles, rows = _db(tmp_path)
        assert titles == [TITLES[1]]
        assert [(r.url.removeprefix(site.base_url), r.status, r.attempts, r.page_no) for r in rows] == [
            ("/news/index_2.html", "pending", 1, 2)]
        assert rows[0].last_error == ("HTTP 503" if failure == "503" else "unparsable listing")
        assert first["list_pages_pending"] == 1

        site.page2 = "ok"
        second = _run(tmp_path, site, 2)
        titles, rows = _db(tmp_path)
        # page 1 shows only a known article, so pagination alone would stop there: page 2 came from the frontier
        assert titles == sorted(TITLES.values())
        assert rows == []
        assert second["list_pages_retried"] == 1 and second["new_articles"] == 2
        lists = [p for p in site.log if p.startswith("/news/index")]
        # the pending page is scheduled first (priority 10), but two concurrent requests may reach the server in
        # either order: each list page is asked for exactly once
        assert sorted(lists) == ["/news/index.html", "/news/index_2.html"]

        if failure == "503":  # (one variant only: each pipeline run costs seconds)
            _run(tmp_path, site, 3)  # nothing pending any more: page 1 only (all known), no duplicate
            assert [p for p in site.log if p.startswith("/news/index")] == ["/news/index.html"]
            assert _db(tmp_path)[0] == sorted(TITLES.values())


def test_list_page_failing_every_run_is_given_up_after_n_and_reported(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVESTWATCH_LIST_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("INVESTWATCH_LIST_RETRY_BASE_S", "0")
    with serve(Site(page2="503")) as site:
        results = [_run(tmp_path, site, day) for day in (1, 2, 3)]
        assert [r["list_pages_pending"] for r in results] == [1, 1, 0]
        assert [r["list_pages_given_up"] for r in results] == [0, 0, 1]
        assert any("index_2.html given up after 3 failed runs: HTTP 503" in e for e in results[2]["errors"])
        _, rows = _db(tmp_path)
        assert [(r.status, r.attempts, r.next_attempt_at) for r in rows] == [("given_up", 3, None)]

        fourth = _run(tmp_path, site, 4)
        assert "/news/index_2.html" not in site.log and fourth["list_pages_retried"] == 0

    res = CliRunner().invoke(sources_app, ["--data-dir", str(tmp_path / "data")], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    row = next(line for line in res.output.splitlines() if "district" in line)
    assert f"list page failing for 3 runs: HTTP 503 (given up; {site.base_url}/news/index_2.html)" in row
