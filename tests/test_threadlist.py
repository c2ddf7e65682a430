"""Forum thread lists through html_article_links: the rows' title links, not authors, last posts or ads."""

from __future__ import annotations

from parsel import Selector

from spiders.config import Source
from spiders.listing import html_article_links

_ROW = (
    '<li class="j_thread_list clearfix"><div class="t_con"><span class="rep">{i}</span>'
    '<div class="title"><a class="j_th_tit" href="/p/{tid}" title="{title}">{title}</a></div>'
    '<div class="author"><a class="j_user_card" href="/home/main?un=user{i}">用户{i}</a></div>'
    '<div class="last"><a class="j_user_card" href="/home/main?un=last{i}">回复者{i}</a>'
    '<a href="/p/{tid}?pn=2">2</a></div></div></li>'
)
_TITLES = ["某新区重大项目进展讨论", "求助", "园区招商引资最新消息汇总", "顶", "某县光伏电站并网发电了吗"] * 3


def _page() -> str:
    rows = [_ROW.format(i=i, tid=1000 + i, title=t) for i, t in enumerate(_TITLES)]
    ad = ('<li class="ad8f clearfix"><div class="t_con"><div class="title">'
          '<a class="j_click_stats" href="http://ads.example.com/c?u=1">某游戏开局就送神兽，点击即玩！</a></div></div></li>')
    side = '<div class="side"><ul><li><a href="/p/42">吧主招募：本吧吧务团队邀请你加入</a></li></ul></div>'
    nav = '<div class="quick"><a href="/p/7">江湖挑战</a><a href="/p/8">防骗指南</a></div>'
    listed = "".join(rows[:3]) + ad + "".join(rows[3:])
    return f"<html><body>{nav}<ul id='thread_list'>{listed}</ul>{side}</body></html>"


def test_forum_rows_give_every_thread_and_nothing_else() -> None:
    url = "http://bbs.example.cn/f?kw=x"
    found = [e.url for e in html_article_links(Selector(text=_page()), url, Source(name="f", url=url))]
    assert found == [f"http://bbs.example.cn/p/{1000 + i}" for i in range(len(_TITLES))]


def test_a_news_list_is_not_read_as_a_thread_list() -> None:
    # each item links its keywords and comments too, and photo items have another markup: all are kept
    items = "".join(
        f'<li><h3><a href="/news/2024/0{i % 9 + 1}/a{i}.html">某市第{i}个重大项目集中开工</a></h3>'
        f'<a href="/keywords/k{i}.html">项目</a><a href="/keywords/j{i}.html">开工</a><a href="http://comment.example.cn/a{i}.html">{i}</a></li>'
        if i % 5
        else f'<li><div class="pic"><a href="/photoview/{i}.html">图集：某市第{i}个重大项目集中开工现场</a></div></li>'
        for i in range(14)
    )
    page = f'<html><body><ul class="list">{items}</ul><a href="/news/2024/01/b1.html">某县一季度经济运行情况通报</a></body></html>'
    url = "http://news.example.cn/list/"
    found = {e.url for e in html_article_links(Selector(text=page), url, Source(name="n", url=url))}
    assert "http://news.example.cn/news/2024/01/b1.html" in found and len(found) == 15
