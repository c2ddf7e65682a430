"""Listing heuristics on hand-written CMS layouts unlike the fixture sites: pagers, side-list-like main lists,
short titles, folder and subdomain article URLs, <dl> dates, sitemap pages of any shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsel import Selector

from spiders.config import Source
from spiders.listing import find_continuation, html_article_links, html_next_page
from spiders.run import crawl, iter_items
from spiders.sitesrv import serve_site

FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "WARNING"}
SRC = Source(name="t", url="http://www.example.gov.cn/")
LIST_URL = "http://www.example.gov.cn/xwdt/index.html"


def _page(body: str) -> Selector:
    return Selector(text=f"<html><body>{body}</body></html>")


@pytest.mark.parametrize(
    "pager",
    [
        '<div class="pg"><a href="index.html">上一页</a> <a href="index_2.html">下一页 &gt;</a></div>',
        '<a href="index_2.html">下一页&gt;&gt;</a>',
        '<span>[<a href="index_2.html">下一页</a>]</span>',
        '<a href="index_2.html">[下一页]</a>',
        '<a href="index_2.html">Next &gt;</a>',
        '<a href="index_2.html">后页</a>',
        '<a class="next" href="index_2.html"><img src="n.gif"></a>',
        '<ul class="pagination"><li class="page-next"><a href="index_2.html"><i class="icon"></i></a></li></ul>',
        '<a class="btn page-next" href="index_2.html"></a>',
        '<a title="下一页" href="index_2.html"><img src="arrow.png"></a>',
        '<a href="index_2.html"><img src="arrow.png" alt="下一页"></a>',
        '<a rel="next" href="index_2.html">›</a>',
        '<div class="pages"><span>1</span> <a href="index_2.html">2</a> <a href="index_3.html">3</a></div>',
        '<div class="pages"><a class="current" href="index.html">1</a><a href="index_2.html">2</a></div>',
        '<ul class="pg"><li class="active"><a href="#">1</a></li><li><a href="index_2.html">2</a></li></ul>',
        '<p><b>1</b>&nbsp;<a href="index_2.html">[2]</a>&nbsp;<a href="index_2.html">2</a></p>',
    ],
)
def test_next_page_variants(pager: str) -> None:
    assert html_next_page(_page(pager), LIST_URL, SRC) == "http://www.example.gov.cn/xwdt/index_2.html"


def test_number_pager_on_a_later_page_and_the_last_page() -> None:
    pager = '<div class="pages"><a href="index.html">1</a><span class="cur">2</span><a href="index_3.html">3</a></div>'
    assert html_next_page(_page(pager), "http://www.example.gov.cn/xwdt/index_2.html", SRC) == (
        "http://www.example.gov.cn/xwdt/index_3.html"
    )
    last = '<div class="pages"><a href="index.html">1</a><a href="index_2.html">2</a><span>3</span></div>'
    assert html_next_page(_page(last), "http://www.example.gov.cn/xwdt/index_3.html", SRC) is None
    # numbered links in the list itself (no marked current page) are not a pager
    assert html_next_page(_page('<ul><li><a href="index_2.html">2</a></li></ul>'), LIST_URL, SRC) is None
    # a disabled next control on the last page
    assert html_next_page(_page('<a class="next disabled" href="index.html">下一页</a>'), LIST_URL, SRC) is None


def test_trs_and_guangdong_pager_scripts() -> None:
    trs = '<div id="page"></div><script>createPageHTML(10, 0, "index", "html");</script>'
    assert html_next_page(_page(trs), LIST_URL, SRC) == "http://www.example.gov.cn/xwdt/index_1.html"
    trs_p2 = trs.replace("10, 0", "10, 1")
    assert html_next_page(_page(trs_p2), "http://www.example.gov.cn/xwdt/index_1.html", SRC) == (
        "http://www.example.gov.cn/xwdt/index_2.html"
    )
    trs_last = trs.replace("10, 0", "10, 9")
    assert html_next_page(_page(trs_last), "http://www.example.gov.cn/xwdt/index_9.html", SRC) is None
    # the page name and extension come from the call; a folder URL is its index page
    shtml = '<script>createPageHTML(3, 0, "list", "shtml");</script>'
    assert html_next_page(_page(shtml), "http://www.example.gov.cn/xwdt/", SRC) == (
        "http://www.example.gov.cn/xwdt/list_1.shtml"
    )
    # Guangdong variant: element id first, 1-based current page, pages index.html, index_2.html ...
    gd = "<script>createPageHTML('page_div', 5, 1, 'index', 'html', 93);</script>"
    assert html_next_page(_page(gd), LIST_URL, SRC) == "http://www.example.gov.cn/xwdt/index_2.html"
    assert html_next_page(_page(gd.replace("5, 1", "5, 5")), LIST_URL, SRC) is None


def test_continuation_with_decorated_next_controls() -> None:
    url = "http://www.example.gov.cn/art/2024/3/5/art_12_34567.html"
    for pager in (
        '<a href="art_12_34567_2.html">下一页 &gt;</a>',
        '<a class="page-next" href="art_12_34567_2.html"></a>',
        '<span class="current">1</span><a href="art_12_34567_2.html">2</a>',
    ):
        assert find_continuation(_page(pager), url, url) == "http://www.example.gov.cn/art/2024/3/5/art_12_34567_2.html"
    assert find_continuation(_page('<a class="next" href="art_12_34568.html">下一页</a>'), url, url) is None


def _urls(body: str, url: str = LIST_URL) -> list[str]:
    return [e.url for e in html_article_links(_page(body), url, SRC)]


def test_main_list_named_like_a_side_list() -> None:
    items = "".join(
        f'<li><a href="/xwdt/content/post_20{i}.html">某区第{i}批重大项目集中签约仪式举行</a><span>2024-03-0{i}</span></li>'
        for i in range(1, 5)
    )
    side = (
        '<div class="right"><div class="box"><h4>热门排行</h4><ul>'
        '<li><a href="/xwdt/content/post_999.html">很久以前的一篇热门新闻标题</a></li></ul></div></div>'
    )
    hot_main = f'<div class="hot-news-list"><ul>{items}</ul></div>{side}'
    assert _urls(hot_main) == [f"http://www.example.gov.cn/xwdt/content/post_20{i}.html" for i in range(1, 5)]
    heading = f'<div class="main"><h2>重点项目推荐</h2><ul>{items}</ul></div>{side}'
    assert len(_urls(heading)) == 4 and not any("999" in u for u in _urls(heading))
    topic = f'<div class="col"><div class="tit">专题报道</div><ul>{items}</ul></div>'
    assert len(_urls(topic)) == 4
    # with an ordinary main list, the hot/recommended side lists stay out
    normal = f'<div class="list"><ul>{items}</ul></div><div class="recommend"><a href="/xwdt/content/post_998.html">推荐阅读：另一篇很长的文章标题</a></div>{side}'
    assert len(_urls(normal)) == 4 and not any(u.endswith(("999.html", "998.html")) for u in _urls(normal))


def test_short_titles_folder_urls_subdomains_and_dl_dates() -> None:
    aspx = """<table class="tb"><tr><td><a href="/view.aspx?id=123">项目签约</a></td><td>2024-03-05</td></tr>
      <tr><td><a href="show.php?aid=88">区长调研企业</a></td><td>2024-03-04</td></tr>
      <tr><td><a href="/list.aspx?cid=3&amp;page=2">更多</a></td><td></td></tr></table>"""
    entries = html_article_links(_page(aspx), "http://www.example.gov.cn/list.aspx?cid=3", SRC)
    assert [(e.url, e.title, e.date) for e in entries] == [
        ("http://www.example.gov.cn/view.aspx?id=123", "项目签约", "2024-03-05"),
        ("http://www.example.gov.cn/show.php?aid=88", "区长调研企业", "2024-03-04"),
    ]
    folders = """<div class="newslist">
      <div class="it"><a href="/news/2024/03/05/city-signs-twelve-projects/">City signs twelve investment projects</a></div>
      <div class="it"><a href="https://news.example.gov.cn/a/20240304/1234567/">新区重大项目开工</a></div>
      <div class="it"><a href="https://www.other-site.com/a/20240304/7654321/">外站的一篇新闻标题很长</a></div>
      <div class="it"><a href="/news/">新闻中心栏目首页</a></div></div>"""
    assert _urls(folders, "https://www.example.gov.cn/news/") == [
        "https://www.example.gov.cn/news/2024/03/05/city-signs-twelve-projects/",
        "https://news.example.gov.cn/a/20240304/1234567/",
    ]
    dl = """<dl class="newslist">
      <dt><a href="/news/show-4521.html">恩平市招商引资推介会在广州举行</a></dt><dd>2024-05-06</dd>
      <dt><a href="/news/show-4520.html">江门举行重大项目集中开工仪式</a></dt><dd>发布时间：2024年5月5日</dd></dl>"""
    assert [e.date for e in html_article_links(_page(dl), LIST_URL, SRC)] == ["2024-05-06", "2024-05-05"]


def test_crawl_sitemap_pages_of_any_shape_and_numbered_list_pages(tmp_path: Path) -> None:
    """Loopback: a sitemap whose article URLs match no known shape, and a list paged by numbers only."""
    root = tmp_path / "site"
    for d in ("zixun", "a/2024-03-05", "lanmu"):
        (root / d).mkdir(parents=True)
    article = "<html><body><h1>{t}</h1><p>" + "某区重大项目建设进展顺利，总投资约十亿元。" * 10 + "</p></body></html>"
    for path in ("zixun/12.html", "a/2024-03-05/doc.shtml", "zixun/13.html", "zixun/14.html"):
        (root / path).write_text(article.format(t=path), encoding="utf-8")
    (root / "index.html").write_text("<html><body>home</body></html>", encoding="utf-8")
    (root / "sitemap.xml").write_text(
        "<urlset>" + "".join(f"<url><loc>/{p}</loc></url>" for p in ("", "lanmu/index.html", "zixun/12.html",
                                                                     "a/2024-03-05/doc.shtml")) + "</urlset>",
        encoding="utf-8",
    )
    (root / "lanmu" / "index.html").write_text(
        '<html><body><div class="hot-list"><ul><li><a href="/zixun/13.html">第十三号新闻：某区项目签约</a><span>2024-03-02</span></li>'
        '</ul></div><div class="page"><span class="on">1</span><a href="list_2.html">2</a></div></body></html>',
        encoding="utf-8",
    )
    (root / "lanmu" / "list_2.html").write_text(
        '<html><body><ul><li><a href="/zixun/14.html">第十四号新闻：某区项目开工</a><span>2024-03-01</span></li>'
        '</ul><div class="page"><a href="index.html">1</a><span class="on">2</span></div></body></html>',
        encoding="utf-8",
    )
    with serve_site(root) as srv:
        out = tmp_path / "items.jsonl"
        report = crawl(
            [Source(name="sm", url=srv.base_url + "/sitemap.xml"), Source(name="ls", url=srv.base_url + "/lanmu/index.html")],
            out, settings=FAST, timeout_s=60,
        )
        items = list(iter_items(out))
    assert report.returncode == 0, report.stderr_tail
    by_source = {s: sorted(p.url.split("/", 3)[3] for p in items if p.ok and p.source == s) for s in ("sm", "ls")}
    assert by_source == {"sm": ["a/2024-03-05/doc.shtml", "zixun/12.html"], "ls": ["zixun/13.html", "zixun/14.html"]}
    assert srv.requests["/lanmu/list_2.html"] == 1
