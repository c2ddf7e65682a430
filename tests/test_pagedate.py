"""The publication date of a page and its origin, one hand-written page per written form and per origin."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from parsers.html import extract_page

BODY = "".join(f"<p>第{i}段：今年以来全区新签约项目28个，计划总投资超120亿元，涵盖新能源、新材料等领域。</p>" for i in range(5))
TITLE = "某区23个重大项目集中签约"
_TODAY = datetime.now(timezone(timedelta(hours=8))).date()  # the site's "today" bar, above the title
TOP_BAR = f'<div class="top">今天是：{_TODAY.year}年{_TODAY.month:02d}月{_TODAY.day:02d}日 星期三</div>'
RELATED = ('<div class="related"><h3>相关新闻</h3><ul>'
           '<li><a href="/xw/2.html">某区召开重大项目建设推进会议</a> 2022-11-30 09:00</li>'
           '<li><a href="/xw/3.html">某市一季度重大项目集中开工活动举行</a> 2022-12-01 10:00</li></ul></div>')


def _page(info: str = "", head: str = "", script: str = "", top: str = TOP_BAR, after: str = RELATED) -> str:
    return (f"<html><head><title>{TITLE}_某区人民政府</title>{head}</head><body>{top}"
            f'<div class="article"><h2>{TITLE}</h2>{info}<div class="con">{BODY}</div></div>{after}'
            f"{script}</body></html>")


URL = "http://www.x.gov.cn/xw/content/post_1.html"
CASES = [
    # (id, html, url, list date, expected date, expected origin)
    ("meta", _page(head='<meta name="PubDate" content="2023-02-03 10:00">', info="<div>2023-02-01</div>"), URL,
     None, "2023-02-03", "meta"),
    ("json-ld", _page(head='<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-02-03T10:00:00+08:00"}</script>'),
     URL, None, "2023-02-03", "meta"),
    ("2023-2-3", _page(info="<div>发布时间：2023-2-3</div>"), URL, None, "2023-02-03", "visible"),
    ("2023.02.03", _page(info="<div>来源：某区融媒体中心 2023.02.03</div>"), URL, None, "2023-02-03", "visible"),
    ("2023/02/03 10:00", _page(info="<div>2023/02/03 10:00</div>"), URL, None, "2023-02-03", "visible"),
    ("02-03 10:00, year from the URL", _page(info="<div>某区融媒体中心 02-03 10:00</div>"),
     "http://www.x.gov.cn/2023/0203/c123.html", None, "2023-02-03", "visible"),
    ("own date beats related news", _page(info="<div>发布日期：2023-02-03</div>"), URL, None, "2023-02-03", "visible"),
    ("own date beats 成文日期", _page(top='<table><tr><td>成文日期：</td><td>2023-01-20</td></tr></table>',
                                      info="<div>发布日期：2023-02-03</div>"), URL, None, "2023-02-03", "visible"),
    ("WeChat var ct (seconds, Beijing date)", _page(script='<script>var ct = "1678815000";</script>', top="", after=""),
     URL, "2023-03-20", "2023-03-15", "script"),
    ("app createTime (milliseconds)", _page(script="<script>window.__DATA__={createTime:1675391760000}</script>", top="",
                                           after=""), URL, None, "2023-02-03", "script"),
    ("publish_time variable", _page(script='<script>var publish_time = "2023-02-03 10:36";</script>', top="", after=""),
     URL, None, "2023-02-03", "script"),
    ("发布时间 written by document.write", _page(
        script="<script>document.write('<span>发布时间：' + '2023-02-03' + '</span>');</script>", top="", after=""),
     URL, None, "2023-02-03", "script"),
    ("URL /2023/0203/", _page(top="", after=""), "http://www.x.cn/2023/0203/c1.html", "2023-02-05", "2023-02-03", "url"),
    ("URL t20230203_", _page(top="", after=""), "http://www.x.gov.cn/xxgk/202302/t20230203_5.html", "2023-02-05",
     "2023-02-03", "url"),
    ("list date last", _page(top="", after=""), URL, "2023-02-05", "2023-02-05", "list"),
    ("top bar today loses to the list date", _page(after=""), URL, "2023-02-05", "2023-02-05", "list"),
]


@pytest.mark.parametrize(("html", "url", "list_date", "published", "origin"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_date_and_origin(html: str, url: str, list_date: str | None, published: str, origin: str) -> None:
    page = extract_page(html, url, list_date=list_date)
    assert (page.published, page.date_origin) == (published, origin)


def test_no_date_anywhere_has_no_origin() -> None:
    page = extract_page(_page(top="", after=""), URL)
    assert (page.published, page.date_origin) == (None, None)
