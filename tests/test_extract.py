"""extract_page on the saved fixture pages (bytes as served, decoded the way Scrapy decodes them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from w3lib.encoding import html_to_unicode

from parsers.html import extract_page, is_noise_line

WEB = Path(__file__).resolve().parents[1].parent / "shared" / "web"
MANIFEST: dict[str, Any] = json.loads((WEB / "MANIFEST.json").read_text(encoding="utf-8"))
NOISE = (
    "打开网易新闻",
    "打印本页",
    "责任编辑",
    "扫一扫",
    "分享到",
    "上一篇",
    "下一篇",
    "特别声明",
    "版权所有",
    "热点信息",
)
ARTICLES = [
    (site, art) for site, data in MANIFEST["sites"].items() for art in data["articles"] if art["http_status"] == 200
]


def _html(site: str, url: str) -> str:
    raw = (WEB / site / url.lstrip("/")).read_bytes()
    return html_to_unicode(None, raw)[1]  # Scrapy's decoder: <meta charset>, gbk -> gb18030


@pytest.mark.parametrize(("site", "art"), ARTICLES, ids=[f"{s}{a['url']}" for s, a in ARTICLES])
def test_fixture_article(site: str, art: dict[str, Any]) -> None:
    page = extract_page(_html(site, art["url"]), "http://127.0.0.1:8000" + art["url"])
    assert page.title == art["title"]
    assert page.published == art["published_date"]
    assert page.source == art["source"]
    lines = page.text.splitlines()
    assert not [x for x in lines if any(n in x for n in NOISE) and len(x) < 60]
    if is_noise_line(art["body_first"]) or is_noise_line(art["body_last"]):
        pytest.skip("body starts/ends with a portal tip; covered by test_portal_pages")
    # one paragraph per line, nothing lost, nothing added
    assert lines[0] == art["body_first"]
    assert lines[-1] == art["body_last"]
    assert len(lines) == art["paragraph_count"]


# hand-checked: the 网易 copies carry "打开网易新闻 查看精彩图片" tips (counted as paragraphs in MANIFEST)
PORTAL_CASES: list[dict[str, Any]] = [
    {
        "file": "/dy/article/KJQ7A2VM0514R9P8.html",
        "lines": 45 - 6,  # minus 6 image tips
        "first": "人勤春来早,奋进正当时。",
        "last": "新闻资讯 一手掌握",
        "without": ["打开网易新闻", "查看精彩图片", "24小时热榜", "相关推荐", "跟贴", "特别声明", "NetEase"],
    },
    {
        "file": "/dy/article/I2JF6S4V0550AXYG.html",
        "lines": 45 - 4,  # minus 3 image tips and the 责任编辑 line
        "first": "预制菜生产车间。蓬江区经促局供图",
        "last": "蓬江区第一季度重大项目集中动工(投产)签约仪式上,47个项目动工(投产)、签约,总投资超300亿元。刘淑君 摄",
        "without": ["打开网易新闻", "责任编辑", "王晓燕", "24小时热榜", "特别声明", "Notice:"],
    },
]


@pytest.mark.parametrize("case", PORTAL_CASES, ids=[c["file"] for c in PORTAL_CASES])
def test_portal_pages(case: dict[str, Any]) -> None:
    page = extract_page(_html("portal", case["file"]), "http://127.0.0.1:8000" + case["file"])
    lines = page.text.splitlines()
    assert (lines[0], lines[-1], len(lines)) == (case["first"], case["last"], case["lines"])
    for word in case["without"]:
        assert word not in page.text


def test_gbk_page_text_is_not_garbled() -> None:
    url = "/content/2022-12/08/content_351072.htm"
    page = extract_page(_html("news-city", url), "http://127.0.0.1:8000" + url)
    assert "\ufffd" not in page.text
    # the characters a gb2312/bytes decode garbles (DEPENDENCIES.md) come through intact
    assert "“融通大湾区·同心向未来——" in page.text and "1—10月" in page.text


def test_multipage_article_joined() -> None:
    first, second = "/content/2023-02/03/content_387451.htm", "/content/2023-02/03/content_387451_2.htm"
    arts = {a["url"]: a for a in MANIFEST["sites"]["news-city"]["articles"]}
    page = extract_page(_html("news-city", first), "http://h" + first, continuation_html=[_html("news-city", second)])
    lines = page.text.splitlines()
    assert page.pages == 2
    assert lines[0] == arts[first]["body_first"] and lines[-1] == arts[second]["body_last"]
    assert len(lines) == arts[first]["paragraph_count"] + arts[second]["paragraph_count"]
    assert page.title == arts[first]["title"]


def test_list_date_is_the_last_resort() -> None:
    html = (
        "<html><body><h1>某区召开经济运行分析会</h1><div><p>"
        + "会议强调，要坚定信心、真抓实干。" * 8
        + "</p></div></body></html>"
    )
    assert extract_page(html, "http://x.cn/a/1.html", list_date="2024-05-06").published == "2024-05-06"
    dated = html.replace("<div>", "<div>发布时间：2023年02月03日 09:10</div><div>")
    assert extract_page(dated, "http://x.cn/a/1.html", list_date="2024-05-06").published == "2023-02-03"


def test_source_line_variants() -> None:
    body = "<p>" + "今年以来，全区新签约项目28个，计划总投资超120亿元，涵盖新能源、新材料等领域。" * 3 + "</p>"
    for info, expected in [
        ("来源：南方+", "南方+"),
        ("本文来源：江门日报　作者：张三", "江门日报"),
        ("信息来源: 江门市人民政府投资促进中心", "江门市人民政府投资促进中心"),
    ]:
        html = f"<html><body><h1>标题标题标题</h1><div class='info'>{info}</div><div>{body}</div></body></html>"
        assert extract_page(html, "http://x.cn/a/1.html").source == expected
    # "数据来源" inside a sentence is not the article's source
    html = f"<html><body><h1>标题标题标题</h1><div>{body}<p>数据来源：国家统计局</p></div></body></html>"
    assert extract_page(html, "http://x.cn/a/1.html").source is None


def test_date_from_a_script_variable_when_the_page_shows_none() -> None:
    from parsers.html import extract_page

    body = "".join(f"<p>江门市重大项目建设第{i}段，各项目加快推进，总投资超百亿元，产业链不断完善。</p>" for i in range(8))
    html = (f"<html><head><title>某区重点项目加快推进</title></head><body><div class='content'>{body}</div>"
            "<script>var pageConfig = {releaseTime: 1675391760000, views: 1203};</script></body></html>")
    assert extract_page(html, "http://x.gov.cn/a/content/post_1.html").published == "2023-02-03"
    assert extract_page(html.replace("1675391760000", "'2021-03-10 09:00'"), "http://x/").published == "2021-03-10"
