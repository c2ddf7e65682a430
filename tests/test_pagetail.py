"""What follows an article's body (comments, 推荐/ranking blocks, promos) is not its text: parsers/pagetail.py."""

from __future__ import annotations

from parsers.html import extract_page
from parsers.pagetail import cut_after_end_marker, is_link_list, prune_trailing_blocks, trim_lines

BODY = (
    "<p>3月5日，某市高新区举行重大项目集中签约仪式，共签约项目12个，总投资86.5亿元，涵盖新能源、新材料和高端装备制造等领域。</p>"
    "<p>其中，某新能源电池生产基地项目总投资30亿元，计划今年6月开工建设，建成后预计年产值可达50亿元，新增就业岗位2000个。</p>"
    "<p>高新区相关负责人表示，将为签约项目提供全程代办服务，推动项目早开工、早投产、早见效。</p>"
)
LAST = "推动项目早开工、早投产、早见效。"


def _page(after: str, before: str = "") -> str:
    return (
        "<html><head><title>某市高新区12个重大项目集中签约</title></head><body>"
        "<h1>某市高新区12个重大项目集中签约</h1><div class='info'>来源：某市日报 2024-03-05</div>"
        f"{before}<div id='article'>{BODY}</div>{after}</body></html>"
    )


def _text(html: str) -> str:
    return extract_page(html, "http://example.cn/news/2024/0305/1.html").text


COMMENTS = (
    "<div id='post_comment'><h3>网友评论</h3><ul class='comment-list'>"
    "<li><a href='/u/1'>江南小雨</a><p>这个项目早就该落地了，希望能带动本地就业，别又是只签约不开工。</p>"
    "<span>2024-03-05 10:21</span><a href='#'>回复</a><a href='#'>点赞 35</a><a href='#'>举报</a></li>"
    "<li><a href='/u/2'>老张看新闻</a><p>新能源电池基地选址在哪里？离居民区远不远，环评有没有公示过？</p>"
    "<span>2024-03-05 11:02</span><a href='#'>回复</a><a href='#'>点赞 12</a><a href='#'>举报</a></li></ul></div>"
)
RECOMMENDED = (
    "<div class='box'><h2>推荐阅读</h2><div><p><strong>某县产业园二期开工</strong> 园区二期规划面积3000亩，重点引进"
    "电子信息企业，预计三年内建成投产并带动上下游配套企业入驻。</p><p><strong>某区一季度经济运行</strong> 一季度全区地区"
    "生产总值同比增长6.2%，固定资产投资增长9.8%，工业投资增长较快。</p></div></div>"
)
HEADLINES = (
    "<div class='side'><a href='/a/1'>某市召开重大项目推进会议</a><span>评论 683</span>"
    "<a href='/a/2'>某县新材料产业园项目开工</a><span>评论 327</span>"
    "<a href='/a/3'>某区一季度经济运行情况发布</a><span>赞 442</span>"
    "<a href='/a/4'>某省公布年度重点建设项目名单</a><span>评论 150</span></div>"
)


def test_comment_thread_after_the_body_is_dropped() -> None:
    out = prune_trailing_blocks(_page(COMMENTS))
    assert LAST in out
    assert "江南小雨" not in out and "环评" not in out and "举报" not in out


def test_recommended_block_under_its_heading_is_dropped() -> None:
    out = prune_trailing_blocks(_page(RECOMMENDED))
    assert LAST in out
    assert "产业园二期" not in out and "一季度" not in out


def test_headline_list_with_counters_is_dropped() -> None:
    out = prune_trailing_blocks(_page(HEADLINES))
    assert "某市召开重大项目推进会议" not in out and "评论 683" not in out
    assert LAST in out


def test_lines_after_the_end_mark_are_dropped_and_a_listed_editor_credit_too() -> None:
    promo = "<div class='wx'><h2>关注公众号查看全文</h2><p>某某财经</p><p>连接每日热点，</p><p>点评股市众生相</p></div>"
    text = _text(_page(promo).replace(LAST + "</p>", LAST + "（完）</p><ul><li>责任编辑: 刘某</li></ul>"))
    assert text.rstrip().endswith(LAST + "（完）")
    assert "公众号" not in text and "股市" not in text and "刘某" not in text


def test_call_to_action_promo_line_is_dropped() -> None:
    lines = ["年度经济人物评选火热进行中！【点击投票】选出你心目中的商业领袖", "3月5日，某市高新区举行重大项目集中签约仪式。"]
    assert trim_lines(lines) == lines[1:]


def test_what_is_not_a_trailing_section_stays() -> None:
    # before the body, a "hot" block is not touched; after it, a running-text note whose class only
    # contains a section word inside another word (photo) is not a section
    before = "<div class='hot-topics'><p>导读：某市今年计划实施重大项目300个，年度计划投资1200亿元。</p></div>"
    note = "<div class='photo-note'><p>图为签约仪式现场。签约项目将在年内陆续开工，力争全部建成投产。</p></div>"
    out = prune_trailing_blocks(_page(note, before=before))
    assert "导读：某市今年计划实施重大项目300个" in out
    assert "图为签约仪式现场" in out


def test_link_list_needs_headlines_holding_most_of_the_text() -> None:
    import lxml.html

    menu = "<ul><li><a href='/'>首页</a></li><li><a href='/a'>要闻</a></li><li><a href='/b'>财经</a></li></ul>"
    assert not is_link_list(lxml.html.fragment_fromstring(menu))  # menu words, not headlines
    assert is_link_list(lxml.html.fragment_fromstring(HEADLINES))


def test_end_marker_near_the_top_cuts_nothing() -> None:
    lines = ["编辑：王某", "3月5日，某市高新区举行重大项目集中签约仪式。", "其中，某新能源电池生产基地项目总投资30亿元。"]
    assert cut_after_end_marker(lines) == lines
    # what follows the marker is as long as the body: not a tail, kept
    long_tail = ["某区项目签约，总投资10亿元。", "责任编辑：某某", "某县项目开工，总投资20亿元，年内建成。"]
    assert cut_after_end_marker(long_tail) == long_tail


def test_trim_lines_keeps_the_body_whole() -> None:
    lines = ["3月5日，某市高新区举行重大项目集中签约仪式，共签约项目12个，总投资86.5亿元。", "项目将于年内开工。"]
    assert trim_lines(lines) == lines


def test_comment_box_with_its_count_and_the_site_disclaimer_are_dropped() -> None:
    after = (
        "<div class='statement disclaimer'><div>特别声明</div><p>本文为机构上传并发布，仅代表该机构观点，不代表本网站观点。</p></div>"
        "<div><h2>评论（15）</h2><div><span>我要跟帖</span><span>已输入0字</span></div></div>"
    )
    out = prune_trailing_blocks(_page(after))
    assert "仅代表该机构观点" not in out and "我要跟帖" not in out
    assert LAST in out


def test_wechat_credits_end_the_article() -> None:
    body = ["广州南沙邮轮母港即将开通，乘客可搭乘地铁直达码头，再乘邮轮前往东南亚。" * 3, "编辑|某某", "责编|某某", "校对|某某",
            "1、回复【公租房】查看最新消息", "2、回复【福利】查看各种政策福利", "点击菜单栏【便民服务】解锁更多服务！"]
    assert trim_lines(body) == body[:1]


def test_a_notice_attachment_list_after_the_body_stays() -> None:
    attachments = (
        "<div class='fj'><p>附件：</p><p><a href='/files/1.pdf'>2024年某市重大建设项目计划表</a></p>"
        "<p><a href='/files/2.xlsx'>2024年某市重大项目投资明细</a></p><p><a href='/files/3.doc'>项目申报说明及联系方式</a></p></div>"
    )
    out = prune_trailing_blocks(_page(attachments))
    assert "2024年某市重大建设项目计划表" in out and "项目申报说明及联系方式" in out
    # the same links to other pages are a link list, removed
    assert "项目申报说明及联系方式" not in prune_trailing_blocks(_page(attachments.replace(".pdf", ".html").replace(".xlsx", ".html").replace(".doc", ".html")))
