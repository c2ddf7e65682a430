"""`sources add` on a list page rendered from a JSON API: detection says so and configures it; the configured
source then gives every story of the site in one run, the >40亿元 story's projects included (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from typer.testing import CliRunner

from flows.cli_sources import sources_app
from flows.pipeline import pipeline_body
from spiders.config import load_sources
from spiders.detect import Probe, api_candidates, plan_list, probe_urls
from spiders.sitesrv import serve_site
from storage.db import make_engine, session_factory
from storage.models import Article, Mention

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
WEB = SHARED / "web"
MANIFEST: dict[str, Any] = json.loads((WEB / "MANIFEST.json").read_text(encoding="utf-8"))
ROUTES: dict[str, Any] = json.loads((WEB / "ROUTES.json").read_text(encoding="utf-8"))
FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "WARNING"}
YI = 100_000_000


def _gold(seed: str) -> dict[str, Any]:
    for line in (SHARED / "data" / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip() and json.loads(line)["file"].startswith(seed[:3]):
            return dict(json.loads(line))
    raise AssertionError(f"no gold for {seed}")


def _core(name: str) -> str:
    return name.removesuffix("项目")


def test_sources_add_news_city_list_page_configures_its_api_and_one_run_gets_all_six_stories(tmp_path: Path) -> None:
    arts = MANIFEST["sites"]["news-city"]["articles"]
    stories = {a["url"] for a in arts if not (a["canonical_of"] and a["canonical_site"] == "news-city")}
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources: []\n", encoding="utf-8")
    data = tmp_path / "data"
    with serve_site(WEB / "news-city", routes=ROUTES["news-city"]) as srv:
        res = CliRunner().invoke(sources_app, ["add", "news-city", srv.base_url + "/news/index.html",
                                               "--sources", str(sources), "--city", "江门市"])
        assert res.exit_code == 0, res.output
        assert "list rendered from a JSON API" in res.output
        (src,) = load_sources(sources)
        assert (src.kind, src.url) == ("api", srv.base_url + "/api/articles?page=1")
        assert f"added news-city (api: {src.url})" in res.output
        result = pipeline_body(str(sources), None, str(data), "run", "2024-05-01", FAST)
    assert result["fetch_errors"] == 0 and result["list_pages_pending"] == 0, result["errors"]
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    with session_factory(engine)() as s:
        urls = {u.removeprefix(srv.base_url) for u in s.execute(select(Article.url)).scalars()}
        mentions = s.execute(select(Mention.name, Mention.amount_yuan, Article.url)
                             .join(Article, Article.id == Mention.article_id)).all()
    engine.dispose()
    assert urls == stories and len(stories) == 6
    # the story reachable only through API page 2 names projects of more than 40亿元: parsed, with their amounts
    seed = next(a for a in arts if a["seed"].startswith("002"))
    big = [p for p in _gold(seed["seed"])["projects"] if (p["amount_yuan"] or 0) > 40 * YI]
    assert big
    found = [(name, amount) for name, amount, url in mentions if url.endswith(seed["url"])]
    for p in big:
        assert any(amount == p["amount_yuan"] and (_core(p["name"]) in name or _core(name) in p["name"])
                   for name, amount in found), (p, found)


def test_script_rendered_list_is_configured_as_its_api() -> None:
    page = ('<html><body><ul id="list"></ul><script>$.ajax({url: "/ajax/newsList.json", data: {pageNo: 1},'
            ' success: render});</script></body></html>')
    api = json.dumps({"rows": [{"title": "某区重大项目签约", "linkUrl": "/art/2024/3/5/art_1.html", "pubDate": "2024-03-05"}],
                      "hasNextPage": True}).encode()
    assert probe_urls("http://h/news/index.html", page) == ["http://h/ajax/newsList.json?pageNo=1"]
    plan = plan_list("http://h/news/index.html", page,
                     {"http://h/ajax/newsList.json?pageNo=1": Probe("http://h/ajax/newsList.json?pageNo=1", api,
                                                                    "application/json")})
    assert (plan.kind, plan.url, plan.list_api) == ("api", "http://h/ajax/newsList.json?pageNo=1", None)
    assert any("list rendered from a JSON API" in n for n in plan.notes)
    # the same page when the endpoint answers HTML (an error page): not an API, and the user is warned
    html_probe = Probe("http://h/ajax/newsList.json?pageNo=1", b"<html>error</html>", "text/html")
    plan = plan_list("http://h/news/index.html", page, {html_probe.url: html_probe})
    assert (plan.kind, plan.url) == ("list", "http://h/news/index.html")
    assert any(n.startswith("warning: no article links") for n in plan.notes)


def test_html_list_with_items_the_api_lacks_keeps_the_list_and_sets_list_api() -> None:
    links = "".join(f'<li><a href="/news/content/post_{n}.html">某市第{n}批重大项目集中签约活动举行</a></li>' for n in (1, 2))
    page = f'<html><body><ul>{links}</ul><a class="more" data-api="/api/news">加载更多</a></body></html>'
    api = json.dumps({"data": {"list": [{"title": "t", "url": "/news/content/post_3.html"}]}}).encode()
    (endpoint,) = api_candidates(page, "http://h/news/")
    assert endpoint == "http://h/api/news?page=1"
    plan = plan_list("http://h/news/", page, {endpoint: Probe(endpoint, api, "application/json")})
    assert (plan.kind, plan.url, plan.list_api) == ("list", "http://h/news/", endpoint)


def test_pagination_into_json_is_reported() -> None:
    links = "".join(f'<li><a href="/news/content/post_{n}.html">某市第{n}批重大项目集中签约活动举行</a></li>' for n in (1, 2))
    page = f'<html><body><ul>{links}</ul><a href="/news/list?page=2">下一页</a></body></html>'
    nxt = "http://h/news/list?page=2"
    assert probe_urls("http://h/news/", page) == [nxt]
    body = json.dumps({"list": [{"title": "t", "url": "/news/content/post_3.html"}]}).encode()
    plan = plan_list("http://h/news/", page, {nxt: Probe(nxt, body, "application/json")})
    assert plan.kind == "list" and any(f"pagination continues as a JSON API at {nxt}" in n for n in plan.notes)


def test_api_added_later_as_its_own_source_reads_past_the_known_page(tmp_path: Path) -> None:
    # the issue's second half: a first source stopped after API page 1 (here its max_pages), so page 2's
    # stories were never seen; the API added later as its own source must not stop at its all-known page 1
    sources = tmp_path / "sources.yaml"
    data = tmp_path / "data"
    with serve_site(WEB / "news-city", routes=ROUTES["news-city"]) as srv:
        first = f"  - {{name: list, url: '{srv.base_url}/news/index.html', max_pages: 2}}\n"
        sources.write_text("sources:\n" + first, encoding="utf-8")
        pipeline_body(str(sources), None, str(data), "run", "2024-05-01", FAST)
        assert srv.requests["/api/articles?page=1"] == 1 and srv.requests["/api/articles?page=2"] == 0
        sources.write_text("sources:\n" + first + f"  - {{name: api, url: '{srv.base_url}/api/articles?page=1'}}\n",
                           encoding="utf-8")
        second = pipeline_body(str(sources), None, str(data), "run", "2024-05-02", FAST)
        assert srv.requests["/api/articles?page=2"] == 1
        assert second["per_source"]["api"]["links_found"] == 6 and second["new_articles"] == 2
        third = pipeline_body(str(sources), None, str(data), "run", "2024-05-03", FAST)
        # crawled once, the API source is incremental again: its all-known page 1 ends the list
        assert srv.requests["/api/articles?page=2"] == 1 and third["new_articles"] == 0
