"""Article page dates on hand-written layouts with no date meta tag: the header's date beats site chrome."""

from __future__ import annotations

from datetime import date

import pytest

from parsers.html import extract_page

BODY = "".join(f"<p>第{i}段：今年以来全区新签约项目28个，计划总投资超120亿元，涵盖新能源、新材料等领域。</p>" for i in range(6))
TODAY = date.today().isoformat()
TOP_BAR = f'<div class="top"><span>日期：{TODAY} 星期三</span><a href="/">设为首页</a></div>'


def _page(header: str, top: str = TOP_BAR, title: str = "某区23个重大项目集中签约") -> str:
    return (
        f"<html><head><title>{title}_某区人民政府</title></head><body>{top}"
        '<div class="crumb"><a href="/">首页</a> &gt; <a href="/xw/">新闻</a></div>'
        f'<div class="article"><h2 class="tit">{title}</h2>{header}<div class="con">{BODY}</div></div>'
        f'<div class="foot">版权所有 某区人民政府 更新日期：{TODAY}</div></body></html>'
    )


@pytest.mark.parametrize(
    "header",
    [
        '<div class="info">2023年02月03日 09:10 来源：某某日报</div>',
        '<div class="info"><span>2023-02-03 09:10:11</span><span>来源：区融媒体中心</span><span>浏览次数：</span></div>',
        "<p class='sub'>2023/2/3</p>",
        '<div class="info">发布时间：<span>2023-02-03</span>　作者：张三</div>',
        "<div class='info'>来源：新华社 | 2023.02.03</div>",
    ],
)
def test_header_date_beats_a_top_bar_date(header: str) -> None:
    page = extract_page(_page(header), "http://www.x.gov.cn/xw/content/post_1.html", list_date="2023-02-05")
    assert page.published == "2023-02-03"


def test_unlabelled_date_line_beats_the_list_date_without_a_top_bar() -> None:
    html = _page('<div class="info">2023年02月03日 09:10 来源：某某日报</div>', top="")
    assert extract_page(html, "http://www.x.gov.cn/a.html", list_date="2023-02-05").published == "2023-02-03"


def test_chrome_date_is_a_late_resort_and_body_dates_are_not_the_header() -> None:
    # the only dates: the top bar's and one inside the text -> the list date is better than either
    html = _page("", title="某区召开经济运行分析会").replace("<p>第0段", "<p>第0段：2019年3月1日起施行的条例规定")
    found = extract_page(html, "http://www.x.gov.cn/a.html", list_date="2023-02-05").published
    assert found == "2023-02-05"


def test_meta_date_still_wins() -> None:
    html = _page('<div class="info">2023年02月03日 来源：某某日报</div>').replace(
        "<head>", '<head><meta name="PubDate" content="2023-02-04 08:00">'
    )
    assert extract_page(html, "http://www.x.gov.cn/a.html").published == "2023-02-04"
