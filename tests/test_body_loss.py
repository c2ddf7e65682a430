"""No silent body loss: a body in a layout table comes out as paragraphs, data tables stay tables, and a page
whose text comes out near-empty is a recorded extraction failure, retried after an extractor change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import lxml.html
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import flows.stages as stages
from parsers.body import _extract, flatten_layout_tables, is_layout_table
from parsers.html import PageText, extract_page
from storage import repo
from storage.db import transaction
from storage.models import Article, Failure, Page

PARAS = [
    "3月23日上午，某区2023年第一季度重大项目集中签约活动举行，23个项目现场签约，总投资186亿元。",
    "此次签约项目涵盖新能源、新材料、高端装备制造等领域，其中投资超10亿元的项目有6个，10亿元以下的17个。",
    "投资最大的是某储能电池生产基地项目，总投资42亿元，计划今年6月动工建设，2025年建成投产。",
    "区主要负责人表示，将为签约项目提供全流程服务，推动项目早落地、早开工、早投产、早见效。",
    "今年以来，全区累计引进亿元以上项目58个，计划总投资超过420亿元，同比增长三成以上。",
]
NOTICE = ("本网站所刊登的各种新闻、信息和各种专题专栏资料，均为某区人民政府版权所有，未经协议授权，禁止下载使用。"
          "凡注明来源为其他媒体的内容，转载目的在于传递更多信息，并不代表本网赞同其观点和对其真实性负责。")


def _layout_page() -> str:
    # an old gov template: title and body in rows of a layout table, the body a cell of <span> paragraphs and
    # <br>s, a long copyright notice below the table -- trafilatura without tables keeps only the notice
    body = "".join(f"<span>{p}</span><br>" for p in PARAS[:4])
    return ("<html><head><title>某区23个项目集中签约_某区人民政府</title></head><body>"
            '<table width="780"><tr><td align="center"><strong>某区23个项目集中签约</strong></td></tr>'
            f'<tr><td class="content">{body}</td></tr></table>'
            f"<div class='foot'><p>{NOTICE}</p></div></body></html>")


DATA_TABLE = ("<table><tr><th>项目名称</th><th>投资方</th><th>总投资(亿元)</th></tr>"
              "<tr><td>某储能电池生产基地项目（一期、二期工程及配套设施）</td><td>某新能源科技有限公司</td><td>42</td></tr>"
              "<tr><td>某新材料产业园项目</td><td>某材料股份有限公司</td><td>15.5</td></tr>"
              "<tr><td>某智能装备制造项目</td><td>某装备集团</td><td>8</td></tr></table>")


def test_a_layout_table_body_comes_out_as_its_paragraphs() -> None:
    # the precondition: trafilatura's table-free text of this page is the notice alone
    assert PARAS[0] not in _extract(_layout_page(), None, tables=False)
    page = extract_page(_layout_page(), "http://www.x.gov.cn/art/2023/3/23/art_1.html")
    lines = page.text.splitlines()
    assert [line for line in lines if line in PARAS] == PARAS[:4], page.text  # each paragraph its own line
    assert not any("|" in line for line in lines), page.text  # not collapsed into table rows
    assert page.failure is None and page.not_article is None


def test_a_data_table_stays_a_table_when_layout_tables_are_flattened() -> None:
    html = "<html><body><table><tr><td>" + "".join(f"<p>{p}</p>" for p in PARAS) + DATA_TABLE + "</td></tr></table></body></html>"
    flat = lxml.html.document_fromstring(flatten_layout_tables(html))
    tables = flat.xpath("//table")
    assert len(tables) == 1 and tables[0].xpath(".//th")  # the outer layout table went, the data table stayed
    assert not is_layout_table(tables[0])


@pytest.mark.parametrize("rows", [
    "<tr><td>项目</td><td>2022年</td><td>2023年</td></tr><tr><td>签约项目数</td><td>28</td><td>35</td></tr>"
    "<tr><td>总投资(亿元)</td><td>120.5</td><td>186</td></tr><tr><td>开工项目数</td><td>12</td><td>19</td></tr>",
])
def test_a_table_of_figures_without_th_is_data(rows: str) -> None:
    assert not is_layout_table(lxml.html.fragment_fromstring(f"<table>{rows}</table>"))


def _lost_page() -> str:
    # the body sits in a block trafilatura discards as a comment section: what is left is the title
    return ("<html><head><title>某区23个项目集中签约</title></head><body><h1>某区23个项目集中签约</h1>"
            '<div class="comments-area">' + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></body></html>")


def test_a_near_empty_text_on_a_substantial_page_is_a_failure() -> None:
    page = extract_page(_lost_page(), "http://www.x.gov.cn/a.html")
    assert page.failure is not None and page.failure.startswith("near-empty extraction"), (page.failure, page.text)


def _store(factory: sessionmaker[Session], html: str, url: str) -> int:
    with transaction(factory) as session:
        return repo.store_page(session, repo.PageIn(
            url=url, final_url=url, status=200, body=html.encode("utf-8"), encoding="utf-8", headers={}, error=None,
            list_date=None, list_title=None, fetched_at=datetime.now(UTC), extra={"role": "article"},
        ), source_id=None, run_id=None)


def _counts(factory: sessionmaker[Session]) -> tuple[int, int]:
    with factory() as s:
        return (int(s.scalar(select(func.count()).select_from(Article)) or 0),
                int(s.scalar(select(func.count()).select_from(Failure).where(Failure.stage == "extract")) or 0))


def test_a_lost_body_is_recorded_and_retried_after_an_extractor_change(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "http://www.x.gov.cn/a.html"
    page_id = _store(factory, _lost_page(), url)
    with transaction(factory) as session:
        runs = [repo.start_run(session, "run") for _ in range(4)]
    stages.extract_stage(factory, runs[0], first := stages.RunStats())
    assert _counts(factory) == (0, 1) and first.extract_failures == 1  # no title-only article
    with factory() as s:
        page = s.get(Page, page_id)
        failure = s.scalars(select(Failure)).one()
        assert page is not None and page.extract_status == "failed" and page.extractor_version == stages.EXTRACTOR_VERSION
        assert failure.url == url and "near-empty extraction" in failure.error
    stages.extract_stage(factory, runs[1], stages.RunStats())  # same extractor: not tried again, not recorded twice
    assert _counts(factory) == (0, 1)

    def better(html: str, url: str, *args: Any, **kwargs: Any) -> PageText:  # an extractor that finds the body
        return PageText(title="某区23个项目集中签约", published="2023-03-23", source=None, text="\n".join(PARAS),
                        date_origin="visible")

    monkeypatch.setattr(stages, "EXTRACTOR_VERSION", "html-test")
    monkeypatch.setattr(stages, "extract_page", better)
    stages.extract_stage(factory, runs[2], third := stages.RunStats())
    assert _counts(factory) == (1, 1) and third.new_articles == 1
    with factory() as s:
        article = s.scalars(select(Article)).one()
        page = s.get(Page, page_id)
        assert (article.url, article.date_origin) == (url, "visible")
        assert page is not None and (page.extract_status, page.extractor_version) == ("article", "html-test")
    stages.extract_stage(factory, runs[3], fourth := stages.RunStats())  # an extracted page is not extracted again
    assert _counts(factory) == (1, 1) and fourth.new_articles == 0
