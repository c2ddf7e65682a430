"""Pagination whatever the response type: a source configured as an HTML list whose pages continue as a
JSON API or an RSS feed is followed to the end, each response parsed as what it is (loopback crawls)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spiders.config import Source
from spiders.run import crawl, iter_items
from spiders.sitesrv import serve_site

WEB = Path(__file__).resolve().parents[1].parent / "shared" / "web"
MANIFEST: dict[str, Any] = json.loads((WEB / "MANIFEST.json").read_text(encoding="utf-8"))
ROUTES: dict[str, Any] = json.loads((WEB / "ROUTES.json").read_text(encoding="utf-8"))
FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "WARNING"}


def test_list_source_follows_its_load_more_api_to_the_last_json_page(tmp_path: Path) -> None:
    # the entry `sources add` wrote before issue 11: kind "list"; API page 2 was parsed as HTML and lost
    arts = MANIFEST["sites"]["news-city"]["articles"]
    stories = {a["url"] for a in arts if not (a["canonical_of"] and a["canonical_site"] == "news-city")}
    out = tmp_path / "items.jsonl"
    with serve_site(WEB / "news-city", routes=ROUTES["news-city"]) as srv:
        source = Source(name="nc", url=srv.base_url + "/news/index.html", kind="list")
        report = crawl([source], out, timeout_s=60, settings=FAST)
        items = list(iter_items(out))
    assert report.returncode == 0, report.stderr_tail
    assert [(p.url, p.error) for p in items if p.error] == []
    assert sorted(p.url.removeprefix(srv.base_url) for p in items if p.ok) == sorted(stories)
    assert len(stories) == 6
    assert srv.requests["/api/articles?page=2"] == 1


def test_html_list_continuing_as_a_paged_rss_feed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    for n in (1, 2, 3, 4):
        body = "<p>某市新能源产业项目签约，总投资十亿元，建设年产五万吨材料生产线。</p>" * 3
        (site / "news" / f"post_{n}.html").write_text(
            f"<html><head><title>第{n}篇</title></head><body><h1>第{n}篇 项目签约</h1>{body}</body></html>",
            encoding="utf-8")
    (site / "news" / "index.html").write_text(
        '<html><body><ul><li><a href="/news/post_1.html">某市新能源产业项目集中签约活动举行</a><span>2024-03-01</span></li></ul>'
        '<a href="/news/older.xml">下一页</a></body></html>', encoding="utf-8")

    def rss(numbers: tuple[int, ...], nxt: str) -> str:
        items = "".join(f"<item><title>第{n}篇</title><link>/news/post_{n}.html</link>"
                        f"<pubDate>Fri, 0{n} Mar 2024 08:00:00 +0800</pubDate></item>" for n in numbers)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
                f"<channel><title>t</title>{nxt}{items}</channel></rss>")

    # page 2 of the list is an RSS feed, paged itself (RFC 5005 atom:link rel="next")
    (site / "news" / "older.xml").write_text(rss((2, 3), '<atom:link rel="next" href="/news/older_2.xml"/>'),
                                             encoding="utf-8")
    (site / "news" / "older_2.xml").write_text(rss((4,), ""), encoding="utf-8")
    out = tmp_path / "items.jsonl"
    with serve_site(site) as srv:
        report = crawl([Source(name="s", url=srv.base_url + "/news/index.html", kind="list")], out, timeout_s=60,
                       settings=FAST)
        items = list(iter_items(out))
    assert report.returncode == 0, report.stderr_tail
    assert [p.error for p in items if p.error] == []
    got = {p.url.removeprefix(srv.base_url): p.list_date for p in items if p.ok}
    assert got == {f"/news/post_{n}.html": f"2024-03-0{n}" for n in (1, 2, 3, 4)}
