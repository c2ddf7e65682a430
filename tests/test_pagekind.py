"""Pages that are not articles, one minimal hand-written page per rule, and articles that only look like them."""

from __future__ import annotations

import pytest

from parsers.html import extract_page

ARTICLE = "".join(f"<p>第{i}段：今年以来全区新签约项目28个，计划总投资超120亿元，涵盖新能源、新材料等领域。</p>" for i in range(8))
RESULTS = "".join(f'<li><a href="/xw/{i}.html">某区重大项目集中签约活动第{i}场举行</a><p>签约项目{i}个</p></li>' for i in range(10))
LINKS = "".join(f'<li><a href="/xw/{i}.html">某区重大项目集中签约活动第{i}场举行</a></li>' for i in range(30))


@pytest.mark.parametrize(("html", "url", "why"), [
    (f"<html><body><h1>搜索</h1><ul>{RESULTS}</ul></body></html>", "http://www.x.gov.cn/search?q=签约", "search-result"),
    (f"<html><body><div>找到约 1,280 条结果</div><ul>{RESULTS}</ul></body></html>", "http://www.x.gov.cn/so.html",
     "search-result"),
    ('<html><body><div class="profile_info"><strong class="profile_nickname">某区发布</strong>'
     f"<p>功能介绍：发布某区政务信息</p></div><ul>{RESULTS}</ul></body></html>", "http://www.x.cn/a/profile.html",
     "profile"),
    (f'<html><body><ul class="album__list">{RESULTS}</ul></body></html>', "http://www.x.cn/a/album.html", "column"),
    (f"<html><body><h2>招商动态</h2><ul>{LINKS}</ul></body></html>", "http://www.x.gov.cn/zsdt/index.html", "list of 30 links"),
])
def test_not_an_article(html: str, url: str, why: str) -> None:
    page = extract_page(html, url)
    assert page.not_article is not None and page.not_article.startswith("not an article") and why in page.not_article
    assert page.text == ""


@pytest.mark.parametrize(("html", "url"), [
    # an article under a search-like URL, with a profile card and a column list beside it
    (f'<html><body><h1>某区项目签约</h1><div class="profile_info">某区发布</div><div>{ARTICLE}</div>'
     f'<ul class="album__list">{RESULTS}</ul></body></html>', "http://www.x.gov.cn/search/detail.html?q=1"),
    (f"<html><body><h1>某区项目签约</h1><div>{ARTICLE}</div><ul>{LINKS}</ul></body></html>",
     "https://mp.weixin.qq.com/s?__biz=MzA5&mid=2650&idx=1"),
])
def test_an_article_beside_list_markup_is_an_article(html: str, url: str) -> None:
    page = extract_page(html, url)
    assert page.not_article is None and page.text.startswith("第0段")
