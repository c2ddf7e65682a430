"""A WeChat public-account mirror (tests/sites/wechat, hand-written in WeChat's markup) crawled from its
index and extracted: every article stored with the date of its `var ct` and its whole body; the account's
profile page and the column page, linked from the index like articles (and fetched as such: the source's
`allow` pattern admits them), are recorded as not articles and stored nowhere."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from flows.stages import RunStats, crawl_stage, extract_stage
from spiders.config import Source
from spiders.sitesrv import serve_site
from storage import repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Article, Failure, Page

SITE = Path(__file__).parent / "sites" / "wechat"
FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "WARNING"}
# what a reader of each article sees: its title, the date WeChat shows once its script has run (Beijing
# time of var ct), and its first and last sentence
EXPECTED = {
    "/s/Xq3kTz1.html": ("江海区23个项目集中签约 总投资186亿元", "2023-02-03", "2月3日上午，江海区2023年第一季度",
                        "推动项目早落地、早开工、早投产。"),
    "/s/Mb7wQp2.html": ("蓬江区新材料产业园首期项目开工建设", "2023-02-20", "2月20日，蓬江区新材料产业园首期项目",
                        "全面达产后预计年产值30亿元。"),
    # var ct = 2023-03-14 17:30 UTC: the Beijing date is the 15th
    "/s/Lr5nYc3.html": ("新会区5个重大项目集中投产", "2023-03-15", "3月15日凌晨，新会区5个重大项目同步投产",
                        "推动更多项目加快建设。"),
    "/s/Hd9vKs4.html": ("鹤山市与某集团签约 共建智能家居产业基地", "2023-04-06", "4月6日下午，鹤山市人民政府",
                        "预计新增就业岗位3000个。"),
}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, RunStats, Any]]:
    data = tmp_path_factory.mktemp("wechat")
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    routes = json.loads((SITE / "ROUTES.json").read_text(encoding="utf-8"))
    with serve_site(SITE, routes=routes) as srv:
        with transaction(factory) as session:
            run_id = repo.start_run(session, "run")
        stats = RunStats()
        # `allow` takes every list item as an article link, the profile and column pages too (the URL-shape
        # heuristic alone skips their query-string URLs): the extractor must tell them apart
        source = Source(name="wechat-mirror", url=srv.base_url + "/index.html", allow=r"/(?:s|mp)/")
        crawl_stage(factory, [source], data / "work", run_id, stats, crawl_settings=FAST, timeout_s=120)
        extract_stage(factory, run_id, stats)
        yield srv.base_url, stats, factory
    engine.dispose()


def test_every_article_is_stored_with_its_date_and_body(extracted: tuple[str, RunStats, Any]) -> None:
    base, _, factory = extracted
    with factory() as s:
        rows = {a.url: a for a in s.scalars(select(Article))}
    assert set(rows) == {base + path for path in EXPECTED}
    for path, (title, published, first, last) in EXPECTED.items():
        article = rows[base + path]
        assert (article.title, article.published_on.isoformat() if article.published_on else None) == (title, published)
        assert article.date_origin == "script"
        assert article.text.startswith(first), article.text[:80]
        assert any(line.endswith(last) for line in article.text.splitlines()[-2:]), article.text[-80:]


def test_profile_and_column_pages_are_recorded_not_stored(extracted: tuple[str, RunStats, Any]) -> None:
    base, stats, factory = extracted
    with factory() as s:
        pages = {p.url: p for p in s.scalars(select(Page).where(Page.url.contains("/mp/")))}
        failures = list(s.scalars(select(Failure)))
    kinds = {url.split("/mp/")[1].split("?")[0]: (p.extract_status, p.extract_note) for url, p in pages.items()}
    assert set(kinds) == {"profile_ext", "appmsgalbum"}, "the crawler fetched both list-like pages as articles"
    assert kinds["profile_ext"][0] == "not_article" and "profile" in (kinds["profile_ext"][1] or "")
    assert kinds["appmsgalbum"][0] == "not_article" and "column" in (kinds["appmsgalbum"][1] or "")
    assert stats.not_articles == 2 and stats.extract_failures == 0
    assert failures == []


def test_the_articles_table_of_the_dataset_says_where_each_date_came_from(extracted: tuple[str, RunStats, Any]) -> None:
    from storage.dataset import dataset_frames
    from storage.schema import columns

    _, _, factory = extracted
    with factory() as s:
        articles = dataset_frames(s)["articles"]
    assert list(articles.columns) == columns("articles") and "date_origin" in columns("articles")
    assert sorted(zip(articles["published_on"].astype(str), articles["date_origin"], strict=True)) == [
        ("2023-02-03", "script"), ("2023-02-20", "script"), ("2023-03-15", "script"), ("2023-04-06", "script")]
