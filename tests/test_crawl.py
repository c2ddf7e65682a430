"""End-to-end crawls of the offline fixture sites on loopback: the right article URLs, once each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parsers.html import extract_page
from spiders.config import Source
from spiders.items import FetchedPage
from spiders.run import crawl, iter_items
from spiders.sitesrv import SiteServer, serve_site
from spiders.urls import canonical_url

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
WEB = SHARED / "web"
MANIFEST: dict[str, Any] = json.loads((WEB / "MANIFEST.json").read_text(encoding="utf-8"))
ROUTES: dict[str, Any] = json.loads((WEB / "ROUTES.json").read_text(encoding="utf-8"))
# tests only: no politeness delays against our own loopback server
FAST = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "LOG_LEVEL": "WARNING",
    "INVESTWATCH_TABLE_PAGES": True,
}


def _articles(site: str) -> list[dict[str, Any]]:
    return list(MANIFEST["sites"][site]["articles"])


def _run(site: str, entries: list[str], tmp_path: Path, **kwargs: Any) -> tuple[SiteServer, list[FetchedPage], Any]:
    with serve_site(WEB / site, routes=ROUTES.get(site)) as srv:
        sources = [Source(name=f"{site}-{i}", url=srv.base_url + e) for i, e in enumerate(entries)]
        out = tmp_path / f"{site}.jsonl"
        report = crawl(sources, out, timeout_s=60, settings=FAST, **kwargs)
        items = list(iter_items(out))
    assert report.returncode == 0, report.stderr_tail
    return srv, items, report


def _path(url: str, srv: SiteServer) -> str:
    return url.removeprefix(srv.base_url)


@pytest.mark.parametrize(
    ("site", "entries"),
    [("gov-district", ["/zsxx/index.html"]), ("portal", ["/rss/local.xml", "/local/index.html"])],
)
def test_crawl_finds_exactly_the_manifest_articles(site: str, entries: list[str], tmp_path: Path) -> None:
    srv, items, report = _run(site, entries, tmp_path)
    expected_ok = {a["url"] for a in _articles(site) if a["http_status"] == 200}
    expected_dead = {a["url"] for a in _articles(site) if a["http_status"] != 200}

    ok = [p for p in items if p.ok]
    assert sorted(_path(p.url, srv) for p in ok) == sorted(expected_ok)  # each exactly once
    failed = {_path(p.url, srv): p for p in items if not p.ok}
    assert set(failed) == expected_dead
    assert all(p.error == f"HTTP {p.status}" and p.role == "article" for p in failed.values())
    assert report.errors == len(expected_dead)
    assert report.articles == len(expected_ok)
    # every article page requested once, nothing robots.txt forbids, nothing twice
    assert not [r for r in srv.requests if r.startswith("/admin/")]
    assert max(srv.requests.values()) == 1 or set(k for k, v in srv.requests.items() if v > 1) <= {"/robots.txt"}
    by_url = {_path(p.url, srv): p for p in ok}
    for art in _articles(site):
        if art["http_status"] != 200:
            continue
        page = by_url[art["url"]]
        assert page.encoding in {"utf-8", "utf8"}
        assert page.body == (WEB / site / art["url"].lstrip("/")).read_bytes()
        text = extract_page(page.text, page.final_url, page.list_date)
        assert text.title == art["title"], art["url"]
        assert text.published == art["published_date"], art["url"]


def test_gov_district_tracking_query_and_list_dates(tmp_path: Path) -> None:
    srv, items, _ = _run("gov-district", ["/zsxx/index.html"], tmp_path)
    # page 2 links post_2791534.html?from=timeline: fetched once, stored under the canonical URL
    assert srv.requests["/zsxx/content/post_2791534.html"] == 1
    assert not [r for r in srv.requests if "from=timeline" in r]
    by_path = {_path(p.url, srv): p for p in items}
    assert by_path["/zsxx/content/post_2791534.html"].list_date == "2023-02-03"
    # the pinned post listed on pages 1 and 3 is one item
    assert sum(1 for p in items if p.url.endswith("post_2267835.html")) == 1
    for path in ("/zsxx/index.html", "/zsxx/index_2.html", "/zsxx/index_3.html", "/robots.txt"):
        assert srv.requests[path] == 1


def test_known_urls_are_not_fetched_again(tmp_path: Path) -> None:
    with serve_site(WEB / "gov-district") as srv:
        known = {canonical_url(srv.base_url + a["url"]) for a in _articles("gov-district")[:5]}
        out = tmp_path / "items.jsonl"
        crawl(
            [Source(name="gd", url=srv.base_url + "/zsxx/index.html")],
            out,
            known_urls=known,
            settings=FAST,
            timeout_s=60,
        )
        fetched = {p.url for p in iter_items(out)}
        assert not fetched & known
        assert all(srv.requests[a["url"]] == 0 for a in _articles("gov-district")[:5])
        assert len(fetched) == len(_articles("gov-district")) - 5


def test_news_city_api_gbk_and_multipage(tmp_path: Path) -> None:
    # only the list page: the JSON API behind its "load more" button is found from the page
    srv, items, report = _run("news-city", ["/news/index.html"], tmp_path)
    arts = _articles("news-city")
    continuations = {a["url"] for a in arts if a["canonical_of"] and a["canonical_site"] == "news-city"}
    expected = {a["url"] for a in arts} - continuations
    assert sorted(_path(p.url, srv) for p in items if p.ok) == sorted(expected)
    assert not [p for p in items if not p.ok]
    by_path = {_path(p.url, srv): p for p in items}
    # the API page 1 -> 2 via its "next"; a page the API does not announce is never guessed
    assert srv.requests["/api/articles?page=2"] == 1 and srv.requests["/api/articles?page=3"] == 0
    # GBK page decoded by Scrapy (gb18030), text right
    gbk = by_path["/content/2022-12/08/content_351072.htm"]
    assert gbk.encoding == "gb18030"
    meta = next(a for a in arts if a["url"] == "/content/2022-12/08/content_351072.htm")
    page = extract_page(gbk.text, gbk.final_url, gbk.list_date)
    assert page.title == meta["title"] and meta["body_first"] in page.text and meta["body_last"] in page.text
    assert "\ufffd" not in page.text
    # the multi-page article is ONE item carrying page 2
    first = by_path["/content/2023-02/03/content_387451.htm"]
    assert [_path(u, srv) for u in first.continuation_urls] == sorted(continuations)
    p1, p2 = (
        next(a for a in arts if a["url"] == u) for u in ("/content/2023-02/03/content_387451.htm", *continuations)
    )
    joined = extract_page(first.text, first.final_url, first.list_date, first.continuation_html)
    lines = joined.text.splitlines()
    assert joined.pages == 2
    assert lines[0] == p1["body_first"] and lines[-1] == p2["body_last"]
    assert len(lines) == p1["paragraph_count"] + p2["paragraph_count"]
    # dates from the API ("YYYY-MM-DD HH:MM:SS") reach the items
    assert {p.list_date for p in items} == {a["published_date"] for a in arts}
    assert report.per_source["news-city-0"]["listings"] == 3  # list page + API pages 1 and 2


def test_invest_city_sitemap_via_robots(tmp_path: Path) -> None:
    srv, items, _ = _run("invest-city", ["/robots.txt"], tmp_path)
    expected = {a["url"]: a for a in _articles("invest-city")}
    articles = [p for p in items if p.role == "article"]
    assert sorted(_path(p.url, srv) for p in articles if p.ok) == sorted(expected)
    for p in articles:
        assert p.list_date == expected[_path(p.url, srv)]["published_date"]
    # the sitemap's non-article pages are looked at once for project tables: only the table page
    # is kept (role "table"), never as an article; the home page is not fetched
    (table,) = [p for p in items if p.role == "table"]
    assert _path(table.url, srv) == "/projects/index.html" and table.ok and "项目名称" in table.text
    assert srv.requests["/about/index.html"] == 1 and srv.requests["/index.html"] == 0


def test_updated_article_refetched_when_sitemap_lastmod_is_newer(tmp_path: Path) -> None:
    with serve_site(WEB / "invest-city", routes=ROUTES["invest-city"]) as srv:
        src = [Source(name="ic", url=srv.base_url + "/sitemap.xml")]
        first = tmp_path / "v1.jsonl"
        crawl(src, first, settings=FAST, timeout_s=60)
        stored = {p.url: p.lastmod for p in iter_items(first)}
        srv.mode = "v2"
        second = tmp_path / "v2.jsonl"
        crawl(src, second, known_urls=stored, settings=FAST, timeout_s=60)
        again = list(iter_items(second))
    assert [_path(p.url, srv) for p in again] == ["/news/20221208/article.html"]
    assert "更正说明" in extract_page(again[0].text, again[0].final_url).text


def test_failures_are_items_not_articles(tmp_path: Path) -> None:
    with serve_site(WEB / "gov-district") as srv:
        out = tmp_path / "items.jsonl"
        sources = [
            Source(name="dead-list", url=srv.base_url + "/nope/index.html"),
            Source(name="refused", url="http://127.0.0.1:9/index.html"),  # discard port: refused
        ]
        report = crawl(sources, out, settings={**FAST, "RETRY_TIMES": 0}, timeout_s=60)
        items = list(iter_items(out))
    assert report.returncode == 0
    by_source = {p.source: p for p in items}
    assert by_source["dead-list"].status == 404 and by_source["dead-list"].role == "listing"
    assert by_source["refused"].status == 0 and "Connection" in (by_source["refused"].error or "")
    assert not [p for p in items if p.ok]
    assert report.per_source["dead-list"]["errors"] == 1


@pytest.mark.parametrize(
    ("site", "entries"),
    [
        ("gov-district", ["/zsxx/index.html"]),
        ("news-city", ["/news/index.html"]),
        ("portal", ["/rss/local.xml"]),
        ("invest-city", ["/robots.txt"]),
    ],
)
def test_every_site_titles_and_dates(site: str, entries: list[str], tmp_path: Path) -> None:
    srv, items, _ = _run(site, entries, tmp_path)
    stories = {
        a["url"]: a
        for a in _articles(site)
        if a["http_status"] == 200 and not (a["canonical_of"] and a["canonical_site"] == site and a.get("page", 1) > 1)
    }
    by_url = {_path(p.url, srv): p for p in items if p.ok and p.role == "article"}
    assert sorted(by_url) == sorted(stories)
    for url, art in stories.items():
        page = by_url[url]
        text = extract_page(page.text, page.final_url, page.list_date, page.continuation_html)
        assert (text.title, text.published) == (art["title"], art["published_date"]), url
        assert len(text.text) > 100 and "\ufffd" not in text.text, url
