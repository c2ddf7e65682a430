"""Article pages of gov/news CMS families (no crawl): the 政务公开 attribute table, old table layouts titled
only by <title> and a bold cell, split-span dates, dates kept in scripts; and the list/API parsers' edge keys."""

from __future__ import annotations

from parsel import Selector

from parsers.html import extract_page
from spiders.config import Source
from spiders.listing import has_data_table, html_article_links, parse_api, parse_feed

PARAS = [
    "今年以来，全区新签约项目28个，计划总投资超120亿元，涵盖新能源、新材料、高端装备等领域。",
    "据介绍，其中投资最大的项目为储能电池生产基地，总投资32亿元，预计明年建成投产。",
    "下一步，该区将建立项目跟踪服务机制，确保项目早动工、早投产、早见效。",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)
TITLE = "某区一季度重大项目集中签约"


def test_gkmlpt_attribute_table_publish_date_beats_written_date() -> None:
    # 政务公开 pages: an attribute table above the title; 成文日期 (written) comes before 发布日期 (published)
    html = f"""<html><head><title>{TITLE}_某市人民政府门户网站</title></head><body>
    <div class="classify"><table>
    <tr><td>索引号：</td><td>114407000070000000/2024-00123</td><td>分类：</td><td>综合政务</td></tr>
    <tr><td>发布机构：</td><td>某市发展和改革局</td><td>成文日期：</td><td>2024-02-20</td></tr>
    <tr><td>文号：</td><td>江发改〔2024〕12号</td><td>发布日期：</td><td>2024-03-05</td></tr></table></div>
    <div class="content"><h1>{TITLE}</h1><div class="info">来源：某市发展和改革局</div>
    <div id="zoomcon">{BODY}</div></div></body></html>"""
    page = extract_page(html, "http://www.x.gov.cn/gkmlpt/content/3/3201/post_3201456.html")
    assert (page.title, page.published) == (TITLE, "2024-03-05")
    assert page.text.splitlines() == PARAS


def test_old_table_layout_titled_by_site_prefixed_title() -> None:
    # <title> "站点 - 栏目 - 标题", the title shown only in a bold table cell, 打印/关闭 chrome
    html = f"""<html><head><meta charset="utf-8"><title>某县人民政府网站 - 政务动态 - {TITLE}</title></head><body>
    <table width="1000"><tr><td>某县人民政府网站</td></tr></table>
    <table width="1000"><tr><td align="center"><b>{TITLE}</b></td></tr>
    <tr><td align="center">发布日期：2024年3月5日 作者：办公室 【字体：大 中 小】</td></tr>
    <tr><td>{BODY}</td></tr><tr><td>[打印本页] [关闭窗口]</td></tr></table></body></html>"""
    page = extract_page(html, "http://www.x.gov.cn/zwdt/show.asp?id=12")
    assert (page.title, page.published) == (TITLE, "2024-03-05")
    assert page.text.splitlines() == PARAS


def test_short_title_next_to_a_site_name_is_not_replaced_by_it() -> None:
    html = f"""<html><head><title>县长调研企业_某县人民政府门户网站</title></head><body>
    <div class="logo">某县人民政府门户网站</div><table><tr><td class="bt">县长调研企业</td></tr>
    <tr><td>{BODY}</td></tr></table></body></html>"""
    assert extract_page(html, "http://www.x.gov.cn/a/show.asp?id=3").title == "县长调研企业"


def test_split_span_date_above_the_title() -> None:
    # 新华网: <span class="year"><em>2024</em></span><span class="day"><em>03</em>/<em>05</em></span> above <h1>
    html = f"""<html><head><title>{TITLE}-新华网</title></head><body>
    <div class="header-time"><span class="year"><em> 2024</em></span><span class="day"><em> 03</em>/<em>05</em></span>
    <span class="time"> 09:12:33</span></div><div class="source">来源：新华网</div>
    <h1><span class="title">{TITLE}</span></h1><div id="detail">{BODY}</div>
    <div class="foot">Copyright © 2000-2024 XINHUANET.com 版权所有</div></body></html>"""
    page = extract_page(html, "http://www.news.cn/local/20240305/abc/c.html", list_date="2024-03-09")
    assert (page.title, page.published) == (TITLE, "2024-03-05")


def test_next_data_script_date_and_related_list_dates() -> None:
    related = '<div class="rel"><a href="/newsDetail_forward_2">另一篇澎湃新闻推荐的很长的标题</a> 2024-03-01 10:31</div>'
    script = '<script id="__NEXT_DATA__" type="application/json">{"props":{"detail":{"pubTime":"2024-03-04 09:12"}}}</script>'
    html = f"<html><body><h1>{TITLE}</h1><div class='c'>{BODY}</div>{related}{script}</body></html>"
    assert extract_page(html, "https://www.thepaper.cn/newsDetail_forward_1").published == "2024-03-04"


def test_api_link_keys_and_feed_xml_base() -> None:
    data = {"result": {"records": [
        {"coverUrl": "/img/a.jpg", "sourceUrl": "http://other.example.com/x.html", "docUrl": "/c/2024/1.html",
         "docTitle": "某区重大项目签约", "docPubTime": "1709600000"},
        {"imgUrl": "/img/b.png", "url": "/c/2024/2.html", "title": "某县项目开工", "pubDate": "2024-03-04 08:00"},
    ]}}
    entries, _nxt, _guess = parse_api(data, "http://h/api/list?pageNo=1")
    assert [(e.url, e.title, e.date) for e in entries] == [
        ("http://h/c/2024/1.html", "某区重大项目签约", "2024-03-05"),
        ("http://h/c/2024/2.html", "某县项目开工", "2024-03-04"),
    ]
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://h/news/"><entry xml:base="2024/">
      <title>T</title><link href="03/a.html"/><updated>2024-03-06T00:30:00+08:00</updated></entry></feed>"""
    assert [(e.url, e.date) for e in parse_feed(atom, "http://h/feeds/x.atom")] == [("http://h/news/2024/03/a.html", "2024-03-06")]


def test_link_list_tables_and_base_href() -> None:
    rows = "".join(
        f'<tr><td>{i}</td><td><a href="content/post_{i}.html">某市召开第{i}次重大项目推进会</a></td><td>[2024-03-0{i}]</td></tr>'
        for i in range(1, 5)
    )
    html = f'<html><head><base href="/gkmlpt/"></head><body><table><tr><th>序号</th><th>标题</th><th>发布日期</th></tr>{rows}</table></body></html>'
    sel = Selector(text=html)
    assert not has_data_table(sel)
    links = html_article_links(sel, "http://h/zwgk/index.html", Source(name="t", url="http://h/"))
    assert [(e.url, e.date) for e in links][:2] == [
        ("http://h/gkmlpt/content/post_1.html", "2024-03-01"),
        ("http://h/gkmlpt/content/post_2.html", "2024-03-02"),
    ]
    # a project table whose names link to detail pages is still data
    data = "".join(
        f'<tr><td><a href="/p/{i}.html">某新能源项目{i}期</a></td><td>某集团</td><td>{i}0亿元</td></tr>' for i in range(1, 5)
    )
    assert has_data_table(Selector(text=f"<table><tr><th>项目</th><th>投资方</th><th>投资额</th></tr>{data}</table>"))


def test_hanweb_jcms_records_in_an_xml_script() -> None:
    # 大汉 JCMS columns: the list is XML data in <script type="text/xml">, rendered by dataproxy.jsp in the browser
    records = "".join(
        f'<record><![CDATA[\n<li><a href="/art/2024/3/{d}/art_4567_23456{d}.html" target="_blank" title="某市第{d}批重大项目集中签约">'
        f"某市第{d}批重大项目集中签约</a><span class=\"bt-data-time\">2024-03-0{d}</span></li>]]></record>"
        for d in (5, 4)
    )
    html = f"""<html><body><div class="nav"><a href="/col/col4566/index.html">政务动态</a></div>
    <div id="4567"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=4567"></a>]]></nextgroup>
    <recordset>{records}</recordset></datastore></script></div></body></html>"""
    links = html_article_links(Selector(text=html), "http://www.x.gov.cn/col/col4567/index.html", Source(name="t", url="http://x/"))
    assert [(e.url, e.title, e.date) for e in links] == [
        ("http://www.x.gov.cn/art/2024/3/5/art_4567_234565.html", "某市第5批重大项目集中签约", "2024-03-05"),
        ("http://www.x.gov.cn/art/2024/3/4/art_4567_234564.html", "某市第4批重大项目集中签约", "2024-03-04"),
    ]
