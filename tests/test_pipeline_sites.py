"""The pipeline over all four fixture sites, each configured by its entry URL only: exactly the MANIFEST's
articles stored, cross-site copies clustered, nothing re-fetched on the second run, the updated article
stored as a new version."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import select

from flows.pipeline import pipeline_body
from spiders.sitesrv import serve_site
from storage.db import make_engine, session_factory
from storage.models import Article, ArticleUrl, Failure, Mention

FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}
ENTRY = {"gov-district": "/zsxx/index.html", "news-city": "/news/index.html", "portal": "/rss/local.xml",
         "invest-city": "/sitemap.xml"}


@pytest.fixture(scope="module")
def crawled(shared: Path, tmp_path_factory: pytest.TempPathFactory):
    manifest = json.loads((shared / "web" / "MANIFEST.json").read_text(encoding="utf-8"))
    routes = json.loads((shared / "web" / "ROUTES.json").read_text(encoding="utf-8"))
    data = tmp_path_factory.mktemp("sites")
    with ExitStack() as stack:
        servers = {site: stack.enter_context(serve_site(shared / "web" / site, routes=routes.get(site, [])))
                   for site in ENTRY}
        sources = data / "sources.yaml"
        sources.write_text("sources:\n" + "".join(
            f"  - name: {site}\n    url: {srv.base_url}{ENTRY[site]}\n    city: 江门市\n" for site, srv in servers.items()
        ), encoding="utf-8")
        alerts = data / "alerts.yaml"
        alerts.write_text("channels:\n  local: file\nrules:\n  - name: big\n    kind: new_project\n"
                          "    min_amount_yuan: 10亿元\n    channels: [local]\n", encoding="utf-8")
        first = pipeline_body(str(sources), str(alerts), str(data), "run", "2023-04-20", FAST)
        before = {site: dict(srv.requests) for site, srv in servers.items()}
        servers["invest-city"].mode = "v2"  # the investment centre edits its article
        second = pipeline_body(str(sources), str(alerts), str(data), "run", "2023-04-21", FAST)
        after = {site: dict(srv.requests) for site, srv in servers.items()}
        bases = {site: srv.base_url for site, srv in servers.items()}
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    yield manifest, bases, first, second, before, after, session_factory(engine)
    engine.dispose()


def test_exactly_the_manifest_articles_are_stored(crawled) -> None:
    manifest, bases, *_, factory = crawled
    with factory() as s:  # news articles; the project-table page is checked below
        stored = set(s.scalars(select(ArticleUrl.url).join(Article).where(Article.kind == "article")))
    expected = {bases[site] + a["url"] for site, v in manifest["sites"].items() for a in v["articles"]
                if a["http_status"] == 200 and not a["url"].endswith("_2.htm")}  # page 2 is joined into page 1
    assert stored == expected


def test_cross_site_copies_are_one_story(crawled) -> None:
    manifest, bases, first, _, _, _, factory = crawled
    with factory() as s:
        by_url = {u.url: u.article_id for u in s.scalars(select(ArticleUrl))}
        articles = {a.id: a for a in s.scalars(select(Article))}

        def story(url: str) -> int:
            art = articles[by_url[url]]
            return art.duplicate_of_id or art.id

        for site, v in manifest["sites"].items():
            for a in v["articles"]:
                if a["canonical_of"] and not a["url"].endswith("_2.htm"):
                    copy, original = bases[site] + a["url"], bases[a["canonical_site"]] + a["canonical_of"]
                    assert story(copy) == story(original), (copy, original)
        # distinct stories stay distinct: one representative per investment story of the five seeds
        reps = {story(bases[site] + a["url"]) for site, v in manifest["sites"].items() for a in v["articles"]
                if a["is_investment"] and a["http_status"] == 200 and not a["url"].endswith("_2.htm")}
        assert len(reps) == 5
    assert first["duplicate_articles"] >= 4


def test_second_run_requests_no_known_article(crawled) -> None:
    manifest, _, _, second, before, after, _ = crawled
    for site, v in manifest["sites"].items():
        for a in v["articles"]:
            if site == "invest-city" and a["url"] == "/news/20221208/article.html":
                continue  # its sitemap lastmod changed in v2: re-fetched on purpose
            path = a["url"]
            assert after[site].get(path, 0) == before[site].get(path, 0), f"{site}{path} fetched again"
    assert second["new_articles"] == 0


def test_updated_article_is_a_new_version(crawled) -> None:
    _, bases, _, second, _, _, factory = crawled
    url = bases["invest-city"] + "/news/20221208/article.html"
    paper = bases["news-city"] + "/content/2022-12/08/content_351072.htm"
    with factory() as s:
        current = s.get(Article, s.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url == url)))
        assert current.version_of_id is not None and "更正" in current.text
        # the corrected text is re-parsed and now represents the story; the first version is still the city
        # paper's text (an exact copy), so it stays stored, as a copy of the corrected one
        assert current.duplicate_of_id is None and current.parse_status == "parsed"
        first = s.get(Article, current.version_of_id)
        assert first.duplicate_of_id == current.id and first.parse_status == "duplicate"
        assert s.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url == paper)) == first.id
        assert not s.scalars(select(Mention).where(Mention.article_id == first.id)).all()
        assert s.scalars(select(Mention).where(Mention.article_id == current.id)).all()
    assert second["updated_articles"] == 1 and second["new_articles"] == 0 and second["parsed_articles"] == 1


def test_404_recorded_with_its_cause(crawled) -> None:
    *_, factory = crawled
    with factory() as s:
        errors = [(f.url or "", f.error) for f in s.scalars(select(Failure).where(Failure.stage == "fetch"))]
    assert any(u.endswith("post_2603117.html") and "404" in e for u, e in errors)


def test_project_table_page_feeds_the_same_projects(crawled) -> None:
    _, bases, *_, factory = crawled
    from storage.models import Milestone, Project

    with factory() as s:
        table = s.scalar(select(Article).where(Article.kind == "table"))
        assert table is not None and table.url == bases["invest-city"] + "/projects/index.html"
        assert table.parse_status == "parsed"
        names = [p.name for p in s.scalars(select(Project).where(Project.merged_into_id.is_(None)))]
        # the table's rows joined the projects the articles reported (one record per project)
        assert len([n for n in names if n.startswith("网驿")]) == 1
        assert len([n for n in names if n.startswith("中创新航")]) == 1
        zc = next(p for p in s.scalars(select(Project)) if p.name.startswith("中创新航"))
        planned = s.scalars(select(Milestone).where(Milestone.project_id == zc.id, Milestone.kind == "expected",
                                                    Milestone.article_id == table.id)).all()
        assert [(m.stage, m.date) for m in planned] == [("in_production", "2023-03")]
