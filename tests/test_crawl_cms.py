"""Round 2 of the layout heuristics: eight-plus Chinese CMS families unlike the fixture sites, each a list
(page, feed or JSON API) plus its article pages served from loopback, crawled with only the URL configured,
then extracted: exact article URLs, titles and dates, body text without the page chrome.

Families: 政府网站集约化平台 gkmlpt table lists and 政务公开 article pages (索引号/成文日期 table above the
title); a 新闻中心 with a 共N页 首页 上一页 1 2 3 下一页 尾页 pager on list_N.shtml pages and 人民网-style articles;
a 要闻 page of list-item blocks with thumbnails and summaries, paged with ?page=N, a 热点排行 right column,
新华网-style articles (date split over spans above the title); an old ASP gov site (table list, table-layout
articles, 打印本页/关闭窗口, gb2312); a JSON list API (linkUrl, picUrl, epoch ms) with 澎湃-style articles
whose date is only in JSON-LD or a script; an RSS and an Atom feed with relative links and +0800 dates;
a list paged by /N/ folders whose links are relative to a <base href>.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from parsers.html import extract_page
from spiders.config import Source
from spiders.items import FetchedPage
from spiders.run import crawl, iter_items
from spiders.sitesrv import serve_site

FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "WARNING"}
TODAY = date.today()
TODAY_CN = f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"
# chrome words that must never reach an article's text
CHROME = ("打印本页", "关闭窗口", "责编", "责任编辑", "分享", "热点排行", "版权所有", "ICP", "上一篇", "下一篇",
          "纠错", "字号", "扫一扫", "相关推荐", "网站地图", "索引号")


@dataclass
class Art:
    path: str  # served path (with query for dynamic pages)
    title: str
    published: str
    paras: list[str]
    list_date: str | None = None  # what the listing says (None: it shows no full date)


@dataclass
class Site:
    name: str
    entry: str  # path of the configured URL
    files: dict[str, str | bytes] = field(default_factory=dict)
    routes: list[dict[str, Any]] = field(default_factory=list)
    arts: list[Art] = field(default_factory=list)


def _paras(topic: str, n: int = 4) -> list[str]:
    facts = [
        f"{topic}现场，共有12个项目集中签约，计划总投资86.5亿元，涵盖新能源、高端装备制造和生物医药等领域。",
        f"据介绍，{topic}中投资最大的项目是一个新型储能电池生产基地，总投资32亿元，预计明年建成投产。",
        f"市有关负责人表示，将坚持项目为王，持续优化营商环境，为{topic}各项目落地建设提供全流程服务。",
        f"今年以来，全市累计引进亿元以上项目58个，{topic}是推动制造业高质量发展的又一重要举措。",
        f"下一步，相关部门将建立{topic}项目跟踪服务机制，确保项目早动工、早投产、早见效。",
    ]
    return facts[:n]


def _p(paras: list[str], style: str = "") -> str:
    return "".join(f"<p{style}>{p}</p>" for p in paras)


# ------------------------------------------------------------------ 1. gkmlpt 政务公开 table list


def site_gkmlpt() -> Site:
    s = Site("gkmlpt", "/zwgk/gzdt/index.html")
    pages = [
        [(3201456, "2024-03-05", "某市召开2024年重大项目建设推进会", "某市召开2024年重大项目…"),
         (3201320, "2024-03-04", "市发展改革局关于下达2024年市重点建设项目计划的通知", None),
         (3201101, "2024-03-01", "某市2月份重大项目建设情况", None)],
        [(3199877, "2024-02-28", "某市与某集团签署战略合作协议", None)],
    ]
    for n, rows in enumerate(pages, 1):
        trs = "".join(
            f'<tr><td class="xh">{i + 1 + (n - 1) * 3}</td><td class="tit"><a href="../../gkmlpt/content/3/{pid // 1000}/post_{pid}.html#{pid % 1000}"'
            f' target="_blank" title="{t}">{short or t}</a></td><td class="date">{d}</td></tr>'
            for i, (pid, d, t, short) in enumerate(rows)
        )
        nxt = '<a href="index_2.html">下一页</a> <a href="index_2.html">尾页</a>' if n == 1 else "<span>下一页</span> <span>尾页</span>"
        cur = ('<span class="current">1</span> <a href="index_2.html">2</a>' if n == 1
               else '<a href="index.html">1</a> <span class="current">2</span>')
        s.files[f"zwgk/gzdt/{'index' if n == 1 else 'index_2'}.html"] = f"""<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>工作动态_某市人民政府门户网站</title></head><body>
<div class="top-bar">今天是：{TODAY_CN} 星期{"一二三四五六日"[TODAY.weekday()]} <a href="/">网站首页</a> <a href="/wza/">无障碍</a></div>
<div class="main-nav"><a href="/zwgk/">政务公开</a><a href="/zwgk/gzdt/index.html">工作动态</a><a href="/hdjl/">互动交流</a></div>
<div class="left-menu"><h3>政务公开</h3><ul><li><a href="/zwgk/tzgg/index.html">通知公告</a></li>
<li><a href="/zwgk/zcjd/index.html">政策解读栏目首页</a></li></ul></div>
<div class="gkml-list"><div class="gkml-hd">工作动态</div>
<table class="table-list"><thead><tr><th>序号</th><th>标题</th><th>发布日期</th></tr></thead><tbody>{trs}</tbody></table>
<div class="page">共2页 <a href="index.html">首页</a> <span>上一页</span> {cur} {nxt}</div></div>
<div class="footer">版权所有：某市人民政府办公室 网站标识码：4407000001 粤ICP备05001234号</div></body></html>"""
    for page_rows in pages:
        for pid, d, t, _short in page_rows:
            paras = _paras(t[:8])
            path = f"/gkmlpt/content/3/{pid // 1000}/post_{pid}.html"
            s.arts.append(Art(path, t, d, paras, list_date=d))
            s.files[path.lstrip("/")] = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{t}_某市人民政府门户网站</title></head><body>
<div class="top-bar">今天是：{TODAY_CN} <a href="/">网站首页</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 工作动态</div>
<div class="classify"><table>
<tr><td class="td-label">索引号：</td><td>114407000070000000/2024-00{pid % 1000}</td><td class="td-label">分类：</td><td>综合政务</td></tr>
<tr><td class="td-label">发布机构：</td><td>某市发展和改革局</td><td class="td-label">成文日期：</td><td>2024-02-20</td></tr>
<tr><td class="td-label">名称：</td><td colspan="3">{t}</td></tr>
<tr><td class="td-label">文号：</td><td></td><td class="td-label">发布日期：</td><td>{d}</td></tr></table></div>
<div class="content"><h1 class="title">{t}</h1>
<div class="info"><span>来源：某市发展和改革局</span> <span class="zh">字号：<a>大</a> <a>中</a> <a>小</a></span></div>
<div class="article-content" id="zoomcon">{_p(paras)}</div>
<div class="article-tool"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div><div class="footer">版权所有：某市人民政府办公室 网站标识码：4407000001 粤ICP备05001234号</div></body></html>"""
    return s


# ------------------------------------------------------------------ 2. 新闻中心, list_N.shtml pager, 人民网 articles


def _people_article(t: str, when: str, paras: list[str], native: bool) -> str:
    info = (f'<div class="col-1-1 fl">{when} | 来源：<a href="http://gd.people.com.cn/" target="_blank">人民网－广东频道</a></div>'
            if native else f'<div class="box01"><div class="fl">{when}&nbsp;&nbsp;来源：<a href="/">人民网－广东频道</a></div></div>')
    return f"""<!DOCTYPE html><html><head><meta http-equiv="content-type" content="text/html;charset=UTF-8">
<title>{t}--广东频道--人民网</title><meta name="keywords" content="重大项目"></head><body>
<div id="rmw_topline"><a href="http://www.people.com.cn/">人民网首页</a> | <a>手机看新闻</a></div>
<div class="path"><a href="http://www.people.com.cn/">人民网</a>&gt;&gt;<a href="/">广东频道</a></div>
<div class="layout rm_txt cf"><div class="col col-1 fl">
<h1>{t}</h1>{info}
<div class="col-1-1 fr"><span>分享让更多人看到</span></div>
<div class="rm_txt_con cf">{_p(paras, ' style="text-indent: 2em;"')}
<p style="text-align: center;"><img src="/NMediaFile/2024/0305/a.jpg"></p>
<div class="edit cf">(责编：王彤、杨喜喜)</div></div>
<div class="rm_relevant cf"><div class="title">相关新闻</div><ul>
<li><a href="/n2/2024/0301/c123932-40760001.html">另一篇相关的很长的新闻标题文字</a> 2024-03-01 10:00</li></ul></div>
</div><div class="col col-2 fr"><div class="ph_list"><h2>热点排行</h2><ol>
<li><a href="/n2/2024/0228/c123932-40759999.html">排行榜上的另一篇很长的新闻标题</a></li></ol></div></div></div>
<div id="copyright">人民网版权所有，未经书面授权禁止使用 Copyright © 1997-2024 by www.people.com.cn</div></body></html>"""


def site_newscenter() -> Site:
    s = Site("newscenter", "/xwzx/list.shtml")
    pages = [
        [("0305", "40766543", "广东某市一季度38个重大项目集中开工", "2024年03月05日09:12", True),
         ("0304", "40765432", "某高新区新能源汽车零部件产业园签约落地", "2024-03-04 16:40", False)],
        [("0302", "40763111", "某县举行招商引资项目集中签约仪式", "2024年03月02日08:05", True)],
        [("0229", "40760999", "某市推动产业园区扩容提质", "2024-02-29 11:20", False)],
    ]
    names = ["list.shtml", "list_2.shtml", "list_3.shtml"]
    for n, rows in enumerate(pages, 1):
        lis = "".join(
            f'<li><span class="time">[{md[:2]}-{md[2:]}]</span><a href="/n2/2024/{md}/c123932-{aid}.html" target="_blank">{t}</a></li>'
            for md, aid, t, _w, _n in rows
        )
        nums = " ".join(f'<span class="on">{k}</span>' if k == n else f'<a href="{names[k - 1]}">{k}</a>' for k in (1, 2, 3))
        prev = f'<a href="{names[n - 2]}">上一页</a>' if n > 1 else '<a href="javascript:;">上一页</a>'
        nxt = f'<a href="{names[n]}">下一页</a>' if n < 3 else f'<a href="{names[2]}">下一页</a>'
        s.files[f"xwzx/{names[n - 1]}"] = f"""<html><head><meta charset="utf-8"><title>新闻中心--人民网</title></head><body>
<div class="header"><a href="/">首页</a></div>
<div class="w1000"><div class="fl"><div class="ej_list_box"><ul class="list_16">{lis}</ul>
<div class="page_n clearfix">共3页 <a href="{names[0]}">首页</a> {prev} {nums} {nxt} <a href="{names[2]}">尾页</a></div></div></div>
<div class="fr"><div class="p2_title">热点排行</div><ol class="p2_list">
<li><a href="/n2/2024/0228/c123932-40759999.html">排行榜上的另一篇很长的新闻标题</a></li></ol></div></div></body></html>"""
        for md, aid, t, when, native in rows:
            paras = _paras(t[:6])
            path = f"/n2/2024/{md}/c123932-{aid}.html"
            pub = f"2024-{md[:2]}-{md[2:]}"
            s.arts.append(Art(path, t, pub, paras))
            s.files[path.lstrip("/")] = _people_article(t, when, paras, native)
    for f in ("n2/2024/0301/c123932-40760001.html", "n2/2024/0228/c123932-40759999.html"):
        s.files[f] = _people_article("别的文章", "2024-03-01 10:00", _paras("别的"), True)
    return s


# ------------------------------------------------------------------ 3. 要闻 list-items, ?page=N, 新华网 articles


def _xinhua_article(t: str, y: str, m: str, d: str, hm: str, paras: list[str]) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{t}-新华网</title>
<meta name="keywords" content="项目"><meta name="description" content="{paras[0][:40]}"></head><body>
<div class="topbar"><a href="http://www.news.cn/">新华网</a> <a>客户端</a></div>
<div class="header domPC"><div class="header-cont clearfix">
<div class="header-time left"><span class="year"><em> {y}</em></span><span class="day"><em> {m}</em>/<em>{d}</em></span><span class="time"> {hm}:33</span></div>
<div class="source">来源：新华网</div>
<div class="head-line clearfix"><h1><span class="title">{t}</span></h1></div></div></div>
<div class="main clearfix"><div class="main-left left"><div id="detail">{_p(paras)}</div>
<div id="articleEdit"><span class="tiyi1"><a href="javascript:void(0);" class="advise">【纠错】</a></span>
<span class="editor">【责任编辑：张曼】</span></div></div>
<div class="main-right right"><div class="columBox"><div class="col-tit">热点排行</div><ul>
<li><a href="/local/20240201/aa11bb22cc33dd44ee55ff6677889900/c.html">排行榜上的另一篇很长的新闻标题</a></li></ul></div></div></div>
<div class="foot">Copyright © 2000-2024 XINHUANET.com All Rights Reserved. 制作单位：新华网股份有限公司 版权所有</div></body></html>"""


def site_yaowen() -> Site:
    s = Site("yaowen", "/yw/index.html")
    s.routes = [{"path": "/yw/index.html", "query": "page", "default": "1", "file": "/yw/p{page}.html", "page1": "/yw/p1.html"}]
    pages = [
        [("0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7", "2024", "03", "06", "18:20", "多地重大项目建设跑出加速度", "2024-03-06 18:20"),
         ("1a2b3c4d5e6f708192a3b4c5d6e7f809", "2024", "03", "06", "10:02", "新质生产力项目落地某经济开发区", "3小时前")],
        [("2b3c4d5e6f708192a3b4c5d6e7f8091a", "2024", "03", "05", "21:45", "某省今年安排省重点项目1500个", "2024-03-05")],
    ]
    for n, rows in enumerate(pages, 1):
        items = "".join(
            f'<div class="list-item"><div class="img"><a href="/local/{y}{m}{d}/{h}/c.html" target="_blank">'
            f'<img src="/img/{h[:6]}.jpg"></a></div><div class="txt"><div class="title"><a href="/local/{y}{m}{d}/{h}/c.html"'
            f' target="_blank">{t}</a></div><p class="summary">{_paras(t[:6])[0][:50]}……</p>'
            f'<div class="info"><span class="time">{shown}</span></div></div></div>'
            for h, y, m, d, hm, t, shown in rows
        )
        more = '<div class="pager"><a href="?page=2">下一页</a></div>' if n == 1 else '<div class="pager"><a href="?page=1">上一页</a></div>'
        s.files[f"yw/p{n}.html"] = f"""<html><head><meta charset="utf-8"><title>要闻-新华网</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/yw/index.html">要闻</a></div>
<div class="container"><div class="left-col"><div class="column-title">要闻</div><div id="list">{items}</div>{more}</div>
<div class="right-col"><div class="box"><h3>热点排行</h3><ol>
<li><span>1</span><a href="/local/20240201/aa11bb22cc33dd44ee55ff6677889900/c.html">排行榜上的另一篇很长的新闻标题</a></li>
<li><span>2</span><a href="/local/20240202/bb11bb22cc33dd44ee55ff6677889900/c.html">排行榜上的第二篇很长的新闻标题</a></li>
<li><span>3</span><a href="/local/20240203/cc11bb22cc33dd44ee55ff6677889900/c.html">排行榜上的第三篇很长的新闻标题</a></li>
</ol></div></div></div></body></html>"""
        for h, y, m, d, hm, t, shown in rows:
            paras = _paras(t[:6])
            path = f"/local/{y}{m}{d}/{h}/c.html"
            listed = shown if len(shown) >= 10 else None
            s.arts.append(Art(path, t, f"{y}-{m}-{d}", paras, list_date=listed[:10] if listed else None))
            s.files[path.lstrip("/")] = _xinhua_article(t, y, m, d, hm, paras)
    for dd in ("aa", "bb", "cc"):
        day = {"aa": "01", "bb": "02", "cc": "03"}[dd]
        s.files[f"local/202402{day}/{dd}11bb22cc33dd44ee55ff6677889900/c.html"] = _xinhua_article(
            "排行", "2024", "02", day, "08:00", _paras("排行"))
    return s


# ------------------------------------------------------------------ 4. old ASP gov site: table list, table-layout articles


def _old_gov_article(t: str, d: str, paras: list[str]) -> str:
    body = "".join(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{p}</p>" for p in paras)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{t}_某县人民政府</title></head><body leftmargin="0" topmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td><img src="/images/banner.jpg"></td></tr>
<tr><td class="nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/tzzs/">投资指南</a></td></tr></table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="#FFFFFF"><tr>
<td width="10"></td><td valign="top">
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td height="30">您现在的位置：<a href="/">首页</a> &gt;&gt; 政务动态</td></tr></table>
<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="50" align="center" class="biaoti"><strong>{t}</strong></td></tr>
<tr><td height="25" align="center" class="hui">发布时间：{d} 10:30:00&nbsp;&nbsp;来源：县发改局&nbsp;&nbsp;点击数：<script>document.write(125)</script>&nbsp;&nbsp;【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</td></tr>
<tr><td height="1" bgcolor="#CCCCCC"></td></tr>
<tr><td class="content" style="line-height:28px;font-size:14px">{body}</td></tr>
<tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table></td></tr></table>
<table width="1000" align="center"><tr><td align="center">主办：某县人民政府办公室 版权所有 备案号：粤ICP备08001234号</td></tr></table>
</body></html>"""


def site_oldgov() -> Site:
    s = Site("oldgov", "/zwdt/list.asp?lmid=12")
    s.routes = [
        {"path": "/zwdt/list.asp", "query": "page", "default": "1", "file": "/zwdt/list_{page}.html"},
        {"path": "/zwdt/show.asp", "query": "id", "file": "/zwdt/show_{id}.html"},
    ]
    pages = [[(1287, "2024-03-05", "县领导带队赴深圳开展招商引资活动"), (1286, "2024-3-4", "县重点项目建设现场推进会召开")],
             [(1279, "2024-02-27", "某县新增一批工业投资项目")]]
    for n, rows in enumerate(pages, 1):
        trs = "".join(
            f'<tr><td width="20" align="center"><img src="/images/dot.gif"></td><td height="28"><a href="show.asp?id={i}"'
            f' target="_blank">{t}</a></td><td width="90" align="center" class="hui">[{d}]</td></tr>'
            for i, d, t in rows
        )
        pager = ('共2页 第1页 首页 上一页 <a href="list.asp?lmid=12&amp;page=2">下一页</a> <a href="list.asp?lmid=12&amp;page=2">尾页</a>'
                 if n == 1 else '共2页 第2页 <a href="list.asp?lmid=12&amp;page=1">首页</a> <a href="list.asp?lmid=12&amp;page=1">上一页</a> 下一页 尾页')
        s.files[f"zwdt/list_{n}.html"] = (f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>政务动态_某县人民政府</title></head><body><table width="1000" align="center"><tr><td class="nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a></td></tr></table>
<table width="1000" align="center"><tr><td width="220" valign="top"><table><tr><td><a href="/zwdt/list.asp?lmid=13">通知公告</a></td></tr></table></td>
<td valign="top"><table width="100%" class="list">{trs}</table>
<table width="100%"><tr><td align="center">{pager}</td></tr></table></td></tr></table></body></html>""").encode("gbk")
        for i, d, t in rows:
            paras = _paras(t[:6])
            y, m, dd = (int(x) for x in d.split("-"))
            iso = date(y, m, dd).isoformat()
            s.arts.append(Art(f"/zwdt/show.asp?id={i}", t, iso, paras, list_date=iso))
            s.files[f"zwdt/show_{i}.html"] = _old_gov_article(t, d, paras).encode("gbk")
    return s


# ------------------------------------------------------------------ 5. JSON list API with 澎湃-style articles


def _paper_article(t: str, paras: list[str], pub: str, how: str) -> str:
    if how == "ld":
        head = ('<script type="application/ld+json">' + json.dumps(
            {"@context": "https://schema.org", "@type": "NewsArticle", "headline": t, "datePublished": f"{pub}T09:12:00+08:00",
             "publisher": {"@type": "Organization", "name": "澎湃新闻"}}, ensure_ascii=False) + "</script>")
        tail = ""
    else:
        head = ""
        data = {"props": {"pageProps": {"detailData": {"contentDetail": {
            "contId": 26612345, "name": t, "pubTime": f"{pub} 09:12", "author": "澎湃新闻记者 张三",
            "commentList": [{"createTime": "2024-03-09 10:00", "content": "好"}]}}}}}
        tail = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data, ensure_ascii=False)}</script>'
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{t}_澎湃号·政务_澎湃新闻-The Paper</title>
<meta name="description" content="{paras[0][:30]}">{head}</head><body><div id="__next">
<div class="header_nav"><a href="/">澎湃</a><a href="/channel_25950">时事</a></div>
<div class="index_wrapper"><div class="index_left"><h1 class="index_title">{t}</h1>
<div class="ant-space"><div class="index_left__name">某市发布</div><div class="ant-space-item"><span>某某省</span></div></div>
<div class="index_cententWrap">{_p(paras)}</div>
<div class="index_bottom"><p>原标题：《{t}》</p><p>阅读原文</p></div></div>
<div class="index_right"><div class="index_title_hot">相关推荐</div><ul>
<li><a href="/newsDetail_forward_26500001">另一篇澎湃新闻推荐的很长的标题</a><span>2024-03-01 10:31</span></li></ul></div></div></div>
{tail}</body></html>"""


def site_api() -> Site:
    s = Site("api", "/api/content/list?channelId=25950&pageNum=1&pageSize=2")
    s.routes = [{"path": "/api/content/list", "query": "pageNum", "file": "/api/list_{pageNum}.json"}]
    rows = [(26612345, "2024-03-05", 1709601120000, "某市一季度重大项目集中签约总投资超300亿元", "ld"),
            (26612001, "2024-03-04", 1709514720000, "某区产业招商大会举行", "script"),
            (26599870, "2024-03-01", 1709255520000, "某县推动百个项目落地见效", "script")]
    for n in (1, 2):
        chunk = rows[(n - 1) * 2 : n * 2]
        recs = [{"contId": cid, "picUrl": f"https://imagecloud.example.cn/pic/{cid}.jpg", "name": t,
                 "linkUrl": f"/newsDetail_forward_{cid}", "publishTime": ms, "nodeInfo": {"name": "澎湃号·政务", "nodeId": 25950}}
                for cid, _d, ms, t, _h in chunk]
        s.files[f"api/list_{n}.json"] = json.dumps(
            {"code": 200, "data": {"list": recs, "pageNum": n, "pageSize": 2, "total": 3, "hasNext": n < 2}}, ensure_ascii=False)
    for cid, d, _ms, t, how in rows:
        paras = _paras(t[:6])
        s.arts.append(Art(f"/newsDetail_forward_{cid}", t, d, paras, list_date=d))
        s.files[f"newsDetail_forward_{cid}"] = _paper_article(t, paras, d, how)
    return s


# ------------------------------------------------------------------ 6/7. RSS and Atom feeds, relative links, +0800


def site_rss() -> Site:
    s = Site("rss", "/rss/gd/news.xml")
    rows = [("2024-03/06/c_1130087001", "Wed, 06 Mar 2024 01:30:00 +0800", "2024-03-06", "深夜发布：某市出台支持制造业当量项目若干措施"),
            ("2024-03/05/c_1130086002", "Tue, 05 Mar 2024 23:10:00 +0800", "2024-03-05", "某市新签约项目12个总投资45亿元")]
    items = "".join(
        f"<item><title><![CDATA[{t}]]></title><link>../../content/{p}.htm</link><description><![CDATA[<p>{t}</p>]]></description>"
        f"<pubDate>{pd}</pubDate><guid isPermaLink=\"false\">{p}</guid></item>"
        for p, pd, _d, t in rows
    )
    s.files["rss/gd/news.xml"] = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>某市新闻</title>'
                                  f"<link>http://www.example.cn/</link>{items}</channel></rss>")
    for p, _pd, d, t in rows:
        paras = _paras(t[:6])
        s.arts.append(Art(f"/content/{p}.htm", t, d, paras, list_date=d))
        # the article page itself shows the date only as a labelled line under the title
        s.files[f"content/{p}.htm"] = _old_gov_article(t, d, paras).replace("charset=gb2312", "charset=utf-8")
    return s


def site_atom() -> Site:
    s = Site("atom", "/feeds/zsxx.atom")
    rows = [("2024/03/07/zsxx-7781.html", "2024-03-07T08:00:00+08:00", "2024-03-07", "某区举行重大项目集中动工活动"),
            ("2024/03/06/zsxx-7770.html", "2024-03-06T00:30:00+08:00", "2024-03-06", "某产业园区新引进项目9个")]
    entries = "".join(
        f'<entry><title type="html">{t}</title><id>tag:example.cn,2024:{p}</id>'
        f'<link rel="self" href="/feeds/entry/{p[-9:-5]}.atom"/><link type="text/html" href="{p}"/>'
        f"<updated>{u}</updated><summary>{t}</summary></entry>"
        for p, u, _d, t in rows
    )
    s.files["feeds/zsxx.atom"] = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
                                  f'xml:base="/news/"><title>招商信息</title><id>tag:example.cn,2024:zsxx</id>{entries}</feed>')
    for p, _u, d, t in rows:
        paras = _paras(t[:6])
        s.arts.append(Art(f"/news/{p}", t, d, paras, list_date=d))
        s.files[f"news/{p}"] = _people_article(t, f"{d} 08:00", paras, False)
    return s


# ------------------------------------------------------------------ 8. <base href> list paged by /N/ folders


def site_base() -> Site:
    s = Site("base", "/gd/")
    pages = [[("2024-03/05/c_123", "2024-03-05", "某市重大项目集中签约仪式举行"), ("2024-03/04/c_122", "2024-03-04", "某区举办产业招商推介会")],
             [("2024-03/01/c_119", "2024-03-01", "某县开工项目数创新高")]]
    for n, rows in enumerate(pages, 1):
        lis = "".join(f'<li><a href="../../content/{p}.htm">{t}</a><span class="date">{d}</span></li>' for p, d, t in rows)
        pager = ('<div class="page"><span class="cur">1</span><a href="/gd/2/">2</a><a href="/gd/2/">下一页</a></div>' if n == 1
                 else '<div class="page"><a href="/gd/">1</a><span class="cur">2</span></div>')
        s.files[f"gd/{'' if n == 1 else '2/'}index.html"] = f"""<html><head><meta charset="utf-8"><title>广东频道</title>
<base href="/channel/local/gd/"></head><body><div class="nav"><a href="../../index.htm">首页</a></div>
<div class="main"><ul class="dataList">{lis}</ul>{pager}</div></body></html>"""
        for p, d, t in rows:
            paras = _paras(t[:6])
            s.arts.append(Art(f"/channel/content/{p}.htm", t, d, paras, list_date=d))
            s.files[f"channel/content/{p}.htm"] = _people_article(t, f"{d} 09:00", paras, True)
    return s


SITES = [site_gkmlpt(), site_newscenter(), site_yaowen(), site_oldgov(), site_api(), site_rss(), site_atom(), site_base()]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[FetchedPage]]:
    """All sites served as one loopback host (each under its own paths) and crawled in one run."""
    root = tmp_path_factory.mktemp("cms")
    routes: list[dict[str, Any]] = []
    for site in SITES:
        routes += site.routes
        for rel, content in site.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
    with serve_site(root, routes) as srv:
        out = root / "items.jsonl"
        sources = [Source(name=s.name, url=srv.base_url + s.entry) for s in SITES]
        report = crawl(sources, out, settings=FAST, timeout_s=90)
        assert report.returncode == 0, report.stderr_tail
        items = list(iter_items(out))
    by_site: dict[str, list[FetchedPage]] = {s.name: [] for s in SITES}
    for item in items:
        by_site[item.source].append(item)
    return by_site


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.mark.parametrize("site", SITES, ids=[s.name for s in SITES])
def test_crawl_finds_exactly_the_articles(site: Site, crawled: dict[str, list[FetchedPage]]) -> None:
    items = crawled[site.name]
    assert not [(i.url, i.error) for i in items if i.error], "no failed fetches"
    arts = [i for i in items if i.role == "article"]
    assert sorted(_path(i.url) for i in arts) == sorted(a.path for a in site.arts)
    assert not [i.url for i in items if i.role == "table"], "a link-list table is not a data table"
    listed = {_path(i.url): i.list_date for i in arts}
    assert listed == {a.path: a.list_date for a in site.arts}


@pytest.mark.parametrize(
    ("site", "art"), [(s, a) for s in SITES for a in s.arts], ids=[f"{s.name}:{a.path}" for s in SITES for a in s.arts]
)
def test_extraction_of_each_article(site: Site, art: Art, crawled: dict[str, list[FetchedPage]]) -> None:
    (item,) = [i for i in crawled[site.name] if _path(i.url) == art.path]
    # the page alone must give the date (the listing's date is only a last resort)
    page = extract_page(item.text, item.final_url)
    assert (page.title, page.published) == (art.title, art.published)
    lines = page.text.splitlines()
    assert lines == art.paras, page.text
    for word in CHROME:
        assert word not in page.text
