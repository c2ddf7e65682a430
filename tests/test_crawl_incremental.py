"""Incremental crawls: a second run requests no stored article; a changed one comes back as a new version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from parsers.html import extract_page
from spiders.config import Source
from spiders.items import KnownPage
from spiders.run import crawl, iter_items
from spiders.sitesrv import serve_site

WEB = Path(__file__).resolve().parents[1].parent / "shared" / "web"
MANIFEST: dict[str, Any] = json.loads((WEB / "MANIFEST.json").read_text(encoding="utf-8"))
ROUTES: dict[str, Any] = json.loads((WEB / "ROUTES.json").read_text(encoding="utf-8"))
FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "WARNING"}


def _known(path: Path) -> dict[str, KnownPage]:
    return {p.url: p.known_page() for p in iter_items(path) if p.ok}


def test_invest_city_second_run_then_updated_article(tmp_path: Path) -> None:
    arts = {a["url"]: a for a in MANIFEST["sites"]["invest-city"]["articles"]}
    with serve_site(WEB / "invest-city", routes=ROUTES["invest-city"]) as srv:
        src = [Source(name="ic", url=srv.base_url + "/robots.txt")]
        first = crawl(src, tmp_path / "1.jsonl", settings=FAST, timeout_s=60)
        assert first.returncode == 0 and first.articles == len(arts)
        known = _known(tmp_path / "1.jsonl")
        assert all(k.last_modified for k in known.values())  # validators kept for conditional GET

        srv.requests.clear()
        second = crawl(src, tmp_path / "2.jsonl", known_urls=known, settings=FAST, timeout_s=60)
        assert second.returncode == 0
        assert list(iter_items(tmp_path / "2.jsonl")) == []
        assert srv.requests["/sitemap.xml"] == 1  # listings are read on every run...
        assert sum(srv.requests[u] for u in arts) == 0  # ...known articles are not
        assert second.per_source["ic"]["known_skipped"] == len(arts)

        srv.mode = "v2"  # the site edits one article and bumps its sitemap lastmod
        srv.requests.clear()
        third = crawl(src, tmp_path / "3.jsonl", known_urls=known, settings=FAST, timeout_s=60)
        (page,) = list(iter_items(tmp_path / "3.jsonl"))
    assert third.returncode == 0
    assert page.url == srv.base_url + "/news/20221208/article.html" and page.ok
    assert page.lastmod == "2022-12-12T10:30:00+08:00"
    text = extract_page(page.text, page.final_url, page.list_date).text
    v2 = arts["/news/20221208/article.html"]["versions"]["v2"]
    assert text.splitlines()[-1] == v2["body_last"] and "组建专业化、市场化招商队伍" in text
    assert [u for u in arts if srv.requests[u]] == ["/news/20221208/article.html"]


def test_gov_district_second_run_stops_pagination(tmp_path: Path) -> None:
    arts = MANIFEST["sites"]["gov-district"]["articles"]
    with serve_site(WEB / "gov-district") as srv:
        src = [Source(name="gd", url=srv.base_url + "/zsxx/index.html")]
        crawl(src, tmp_path / "1.jsonl", settings=FAST, timeout_s=60)
        known = _known(tmp_path / "1.jsonl")
        srv.requests.clear()
        report = crawl(src, tmp_path / "2.jsonl", known_urls=set(known), settings=FAST, timeout_s=60)
    assert report.returncode == 0
    assert list(iter_items(tmp_path / "2.jsonl")) == []
    # page 1 holds only known articles: pages 2 and 3 are not read, no article page is requested
    assert srv.requests["/zsxx/index.html"] == 1 and srv.requests["/zsxx/index_2.html"] == 0
    assert sum(srv.requests[a["url"]] for a in arts) == 0


def test_recheck_known_sends_conditional_get(tmp_path: Path) -> None:
    with serve_site(WEB / "invest-city") as srv:
        plain = Source(name="ic", url=srv.base_url + "/news/index.html")
        crawl([plain], tmp_path / "1.jsonl", settings=FAST, timeout_s=60)
        known = _known(tmp_path / "1.jsonl")
        assert len(known) == 3
        srv.requests.clear()
        recheck = plain.model_copy(update={"recheck_known": True})
        report = crawl([recheck], tmp_path / "2.jsonl", known_urls=known, settings=FAST, timeout_s=60)
    assert report.returncode == 0
    # each known page asked once with If-Modified-Since; the server said 304, nothing stored
    assert all(srv.requests[u.removeprefix(srv.base_url)] == 1 for u in known)
    assert report.per_source["ic"]["unchanged"] == 3
    assert list(iter_items(tmp_path / "2.jsonl")) == []
