"""The HTML report: figures from the demo data, rendered in real headless chromium; hostile titles stay text."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime
from pathlib import Path

import lxml.html
import pytest

from parsers.model import ArticleFacts, Expected, Milestone, Project
from storage import projects, repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Source
from storage.report import CHART_IDS, write_report
from tests.browser import render

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from flows.demo import run_demo

    data = tmp_path_factory.mktemp("demo")
    run_demo(data, use_prefect=False, ports={"gov": _free_port(), "portal": _free_port()})
    return data


def test_every_run_writes_the_report_and_it_renders_with_charts(demo_dir: Path, tmp_path: Path) -> None:
    page = demo_dir / "report" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert not lxml.html.fromstring(html).xpath("//script[@src] | //link[@href]")  # self-contained: no CDN
    shot = tmp_path / "report.png"
    got = render(page, shot, tmp_path / "profile")
    assert got.console == [], got.console
    doc = lxml.html.fromstring(got.dom)
    for chart in CHART_IDS:
        div = doc.get_element_by_id(chart)
        assert div.xpath(".//svg[contains(@class, 'main-svg')]"), f"{chart} was not drawn"
        assert div.xpath(".//g[contains(@class, 'point')]"), f"{chart} has no bars"
    text = doc.text_content()
    for heading in ("上次运行以来的新项目", "投资额最大的项目", "签约 → 开工 → 投产", "滞后项目", "来源健康"):
        assert heading in text
    assert "中创新航" in text and "开工率" in text and "demo-jianghai-gov" in text
    assert shot.stat().st_size > 20_000  # a real picture, not a blank page


HOSTILE_TITLE = '<script>document.body.dataset.pwned="script"</script>"><img src=x onerror="document.body.dataset.pwned=1">'


def test_hostile_titles_and_names_do_not_execute(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'investwatch.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    with transaction(factory) as s:
        s.add(Source(name='"><img src=x onerror=alert(1)>', url="http://gov/", city="江门市",
                     district='<img src=x onerror="document.body.dataset.pwned=2">区'))
        s.flush()
        sid = s.query(Source.id).scalar()
        aid = repo.store_article(s, url="http://gov/a.html", source_id=sid, page_id=None, title=HOSTILE_TITLE,
                                 published_on=date(2023, 3, 24), origin=None, text="正文").article_id
        facts = ArticleFacts(projects=(Project(
            name='"><img src=x onerror="document.body.dataset.pwned=3">项目', amount_yuan=2_000_000_000,
            amount_qualifier="exact", stage="signed", stage_date="2022-01-05",
            stage_history=(Milestone("signed", "2022-01-05", "签约"),),
            expected=(Expected("started", "<script>x</script>", "2022-06"),), evidence="<script>"),),)
        projects.save_facts(s, aid, facts, parser_version="t1", city="江门市")
    with factory() as s:
        page = write_report(s, tmp_path / "report", tmp_path / "dataset", date(2023, 6, 1), datetime.now(UTC))
    engine.dispose()
    html = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;document.body" in html and "<img src=x" not in html
    got = render(page, None, tmp_path / "profile")
    doc = lxml.html.fromstring(got.dom)
    assert doc.body.get("data-pwned") is None, "a planted script or handler ran"
    assert not doc.xpath("//img") and got.console == [], got.console
    text = doc.text_content()
    assert HOSTILE_TITLE in text  # shown to the analyst as the text it is
    assert "签约超过180天未开工" in text and "计划2022-06开工" in text  # the lagging section saw the project
