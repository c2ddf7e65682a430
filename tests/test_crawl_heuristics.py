"""The listing heuristics on CMS layouts other than the four fixture sites (synthetic pages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parsel import Selector

from spiders.config import Source
from spiders.listing import (
    detect_kind,
    find_continuation,
    html_article_links,
    html_next_page,
    parse_api,
    parse_feed,
    parse_sitemap,
)
from spiders.run import crawl, iter_items
from spiders.sitesrv import serve_site

FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "WARNING"}
SRC = Source(name="t", url="http://www.example.gov.cn/")

# TRS-style column: tYYYYMMDD_N.html articles, pager only in script, WordPress-like chrome around it
TRS_LIST = """<html><body>
<header><a href="/xwzx/t20230101_1.html">头部推荐：某市召开全市招商引资大会部署全年工作</a></header>
<nav><a href="/">首页</a><a href="/xwzx/">新闻中心</a></nav>
<div class="main"><ul class="list">
  <li><a href="./202302/t20230203_4567.html" title="某区23个重大项目集中签约 总投资超百亿元">某区23个重大项目集中签约…</a><span>2023-02-03</span></li>
  <li><a href="./202302/t20230201_4560.html">市领导调研重点项目建设进展情况</a><span>2023/02/01</span></li>
  <li><a href="http://other.example.com/a/t20230130_1.html">外站：某省重点项目清单发布</a><span>2023-01-30</span></li>
  <li><a href="./index_1.html">2</a></li>
</ul>
<script>createPageHTML(3, 0, "index", "html");</script></div>
<aside><div class="hd">阅读排行</div><ul><li><a href="/xwzx/202212/t20221201_1.html">排行榜上的一篇很长很长的文章标题</a></li></ul></aside>
<div class="sidebar"><a href="/xwzx/202211/t20221101_9.html">侧栏里的另一篇很长很长的文章标题</a></div>
<footer><a href="/admin/login.html">网站管理后台登录入口页面链接</a></footer>
</body></html>"""


def test_trs_list_links_dates_and_script_pager() -> None:
    url = "http://www.example.gov.cn/xwzx/index.html"
    sel = Selector(text=TRS_LIST)
    links = html_article_links(sel, url, SRC)
    assert [(e.url, e.date) for e in links] == [
        ("http://www.example.gov.cn/xwzx/202302/t20230203_4567.html", "2023-02-03"),
        ("http://www.example.gov.cn/xwzx/202302/t20230201_4560.html", "2023-02-01"),
    ]
    assert links[0].title == "某区23个重大项目集中签约 总投资超百亿元"  # the title attribute beats the cut text
    # no next link: the TRS pager script says page 0 of 3 (0-based) -> index_1.html (TRS names page k+1 "_k")
    assert html_next_page(sel, url, SRC) == "http://www.example.gov.cn/xwzx/index_1.html"
    last = TRS_LIST.replace("createPageHTML(3, 0", "createPageHTML(3, 2")
    assert html_next_page(Selector(text=last), "http://www.example.gov.cn/xwzx/index_2.html", SRC) is None


def test_configured_selectors_replace_the_heuristics() -> None:
    url = "http://www.example.gov.cn/xwzx/index.html"
    src = Source(name="t", url=url, article_links="//aside//a", next_page="ul.list li:last-child a")
    sel = Selector(text=TRS_LIST)
    assert [e.url for e in html_article_links(sel, url, src)] == [
        "http://www.example.gov.cn/xwzx/202212/t20221201_1.html"
    ]
    assert html_next_page(sel, url, src) == "http://www.example.gov.cn/xwzx/index_1.html"
    allow = Source(name="t", url=url, allow=r"/t2023020\d_")
    assert len(html_article_links(sel, url, allow)) == 2


def test_newspaper_list_with_query_pagination() -> None:
    html = """<html><body><div class="web_listbox"><ul>
      <li><a href="/a/content/2026-02/05/content_2764290.htm">汇众智 建真言 助发展</a> <em>(2026-02-05)</em></li>
      <li><a href="/a/content/2026-02/04/content_2764100.htm?spm=a.b.c">开平市新签约项目12个总投资45亿元</a> <em>(2026-02-04)</em></li>
    </ul></div><div class="pages"><a href="?page=1">上一页</a><a href="?page=3">下一页</a></div></body></html>"""
    url = "http://www.jmnews.example/a/jmxw.htm?page=2"
    sel = Selector(text=html)
    assert [e.url.rsplit("/", 1)[1] for e in html_article_links(sel, url, SRC)] == [
        "content_2764290.htm",
        "content_2764100.htm",  # share parameter stripped
    ]
    assert html_next_page(sel, url, SRC) == "http://www.jmnews.example/a/jmxw.htm?page=3"


def test_atom_feed_and_sitemap_index() -> None:
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
      <entry><title>A</title><link rel="alternate" href="/news/2024/05/a.html"/><published>2024-05-06T08:00:00+08:00</published></entry>
    </feed>"""
    assert detect_kind("http://h/feed", "application/atom+xml", atom) == "feed"
    (entry,) = parse_feed(atom, "http://h/feed")
    assert (entry.url, entry.date, entry.title) == ("http://h/news/2024/05/a.html", "2024-05-06", "A")
    index = b"<sitemapindex><sitemap><loc>/sitemap-news.xml</loc></sitemap></sitemapindex>"
    assert parse_sitemap(index, "http://h/sitemap.xml") == ([], ["http://h/sitemap-news.xml"])


def test_xml_bombs_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><rss><channel><item><link>&b;</link></item></channel></rss>'
    try:
        parse_feed(bomb, "http://h/rss")
    except Exception as e:  # defusedxml raises EntitiesForbidden
        assert "Entit" in type(e).__name__
    else:
        raise AssertionError("entity declarations must be refused")


def test_json_api_other_key_names() -> None:
    page: dict[str, Any] = {
        "code": 200,
        "data": {
            "hasNextPage": True,
            "list": [
                {
                    "articleTitle": "恩平9个重大项目开工",
                    "shareUrl": "https://static.example.com/content/202109/30/c5797787.html",
                    "publishTime": 1632960000000,
                },
                {
                    "articleTitle": "第二篇",
                    "shareUrl": "https://static.example.com/content/202109/29/c5790000.html",
                    "publishTime": 1632873600000,
                },
            ],
        },
    }
    entries, nxt, guessed = parse_api(page, "https://api.example.com/article/list?columnId=7583&pageSize=20&pageNum=1")
    assert [e.date for e in entries] == ["2021-09-30", "2021-09-29"]
    assert entries[0].title == "恩平9个重大项目开工"
    assert nxt == "https://api.example.com/article/list?columnId=7583&pageSize=20&pageNum=2" and not guessed
    page["data"]["hasNextPage"] = False
    assert parse_api(page, "https://api.example.com/article/list?pageNum=9")[1] is None
    assert parse_api({"data": {"list": []}}, "https://api.example.com/list?page=3")[1] is None


def test_continuation_is_only_the_same_article() -> None:
    html = """<html><body><div class="page"><a href="content_1_2.htm">2</a><a href="content_1_2.htm">下一页</a></div>
    <div class="prev-next"><a href="content_2.htm">下一篇：另一篇文章</a></div></body></html>"""
    url = "http://h/c/content_1.htm"
    assert find_continuation(Selector(text=html), url, url) == "http://h/c/content_1_2.htm"
    only_next_article = '<html><body><a href="content_2.htm" rel="next">下一页</a></body></html>'
    assert find_continuation(Selector(text=only_next_article), url, url) is None


def test_crawl_synthetic_trs_site(tmp_path: Path) -> None:
    """A site unlike the fixtures, crawled end to end: script pager, relative links, a redirect-free 404."""
    root = tmp_path / "site"
    (root / "xwzx" / "202302").mkdir(parents=True)
    pages = {"index.html": (0, ["t20230203_11", "t20230203_12"]), "index_1.html": (1, ["t20230201_13", "t20230201_14"])}
    for name, (current, ids) in pages.items():
        lis = "".join(
            f'<li><a href="./202302/{i}.html">第{i[-2:]}号新闻标题：某区重大项目建设进展</a><span>2023-02-0{3 - current * 2}</span></li>'
            for i in ids
        )
        (root / "xwzx" / name).write_text(
            f'<html><body><ul>{lis}</ul><script>createPageHTML(2, {current}, "index", "html");</script></body></html>',
            encoding="utf-8",
        )
    for i in ("t20230203_11", "t20230203_12", "t20230201_13"):  # _14 is missing: a 404
        (root / "xwzx" / "202302" / f"{i}.html").write_text(
            f"<html><body><h1>{i}</h1><p>{'正文内容。' * 30}</p></body></html>", encoding="utf-8"
        )
    with serve_site(root) as srv:
        out = tmp_path / "items.jsonl"
        report = crawl([Source(name="trs", url=srv.base_url + "/xwzx/index.html")], out, settings=FAST, timeout_s=60)
        items = list(iter_items(out))
    assert report.returncode == 0, report.stderr_tail
    ok = sorted(p.url.rsplit("/", 1)[1] for p in items if p.ok)
    assert ok == ["t20230201_13.html", "t20230203_11.html", "t20230203_12.html"]
    (dead,) = [p for p in items if not p.ok]
    assert dead.status == 404 and dead.url.endswith("t20230201_14.html") and dead.list_date == "2023-02-01"
    assert srv.requests["/xwzx/index_1.html"] == 1 and srv.requests["/xwzx/index_2.html"] == 0
    stats = report.per_source["trs"]
    assert (stats["listings"], stats["pages_fetched"], stats["articles"], stats["errors"]) == (2, 6, 3, 1)


def test_spiders_doctests() -> None:
    """The spiders package is outside pytest's doctest paths (tests, parsers): run its examples here."""
    import doctest

    import spiders.config
    import spiders.items
    import spiders.listing
    import spiders.urls

    for module in (spiders.config, spiders.items, spiders.listing, spiders.urls):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


def test_robots_disallowed_article_is_neither_fetched_nor_recorded(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "news" / "private").mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /news/private/\n", encoding="utf-8")
    links = "".join(
        f'<li><a href="/news/{d}/content_{n}.html">江门市重点项目建设新闻标题第{n}号</a></li>'
        for d, n in (("2024-01/02", 100001), ("private", 100002))
    )
    (root / "news" / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>", encoding="utf-8")
    (root / "news" / "2024-01" / "02").mkdir(parents=True)
    for path in ("news/2024-01/02/content_100001.html", "news/private/content_100002.html"):
        (root / path).write_text("<html><body><p>正文内容。</p></body></html>", encoding="utf-8")
    with serve_site(root) as srv:
        out = tmp_path / "items.jsonl"
        report = crawl([Source(name="r", url=srv.base_url + "/news/index.html")], out, settings=FAST, timeout_s=60)
        items = list(iter_items(out))
    assert [p.url.rsplit("/", 1)[1] for p in items] == ["content_100001.html"]
    assert srv.requests["/news/private/content_100002.html"] == 0
    assert report.per_source["r"]["robots_skipped"] == 1 and report.errors == 0
