"""Leads, first lines and header lines of an article page, and text that broken markup hid (issue 11): pages
written here, each showing one layout, through ``extract_page`` as the pipeline calls it."""

from __future__ import annotations

import lxml.html

from parsers.html import extract_page
from parsers.pagedate import BUILD_STAMP
from parsers.pagerepair import keep_after_early_end, repair_markup, unwrap_image_links

URL = "http://news.example.cn/a/20230203/1.html"
PARAS = [
    "3日上午，某区2023年第一季度重大项目集中签约活动举行，23个项目现场签约，总投资186亿元。",
    "此次签约项目涵盖新能源、新材料、高端装备制造等领域，其中投资超10亿元的项目有6个，10亿元以下的17个。",
    "投资最大的是某储能电池生产基地项目，总投资42亿元，计划今年6月动工建设，2025年建成投产。",
    "区主要负责人表示，将为签约项目提供全流程服务，推动项目早落地、早开工、早投产、早见效。",
    "今年以来，全区累计引进亿元以上项目58个，计划总投资超过420亿元，同比增长三成以上。",
]
TITLE = "某区23个重大项目集中签约 总投资186亿元"
LEAD = "导语：某区一季度23个重大项目集中签约，总投资186亿元，涵盖新能源、新材料、高端装备制造等领域。"


def _page(body: str, header: str = "", head: str = "", title: str = TITLE, wrap: str = "wrap") -> str:
    return (f"<html><head><title>{title}_某区新闻网</title>{head}</head><body>"
            "<div class='nav'><a href='/'>首页</a> &gt; <a href='/news/'>新闻中心</a></div>"
            f"<div class='{wrap}'><h1>{title}</h1>{header}{body}</div>"
            "<div class='foot'>版权所有：某区融媒体中心</div></body></html>")


def test_br_separated_lines_are_paragraphs_first_line_included() -> None:
    # text typed straight into the body container with <br>s and picture boxes between runs
    body = ("<div class='news_txt'>" + PARAS[0] + "<div style='text-align:center'><img src='a.jpg'></div>"
            + "<br>".join(PARAS[1:4]) + "<div><img src='b.jpg'></div>" + PARAS[4] + "</div>")
    page = extract_page(_page(body, wrap="newscontent"), URL)
    assert page.text.splitlines() == PARAS


def test_date_source_line_and_reporter_credit_above_the_body_are_not_body() -> None:
    header = "<div class='news_about'><p>某日报记者 张三</p><p>2023-02-03 10:08<span>来源：某日报</span></p></div>"
    body = "<div class='news_txt'>" + "<br>".join(PARAS) + "</div>"
    page = extract_page(_page(body, header, wrap="newscontent"), URL)
    assert page.text.splitlines()[0] == PARAS[0]
    assert page.published == "2023-02-03"
    assert page.source == "某日报"


def test_agency_name_above_a_date_line_is_not_body() -> None:
    header = "<div class='news_about'><p>新华社</p><p>2023-02-03 18:13</p></div>"
    body = "<div class='news_txt'>" + "<br>".join(PARAS) + "</div>"
    assert extract_page(_page(body, header, wrap="newscontent"), URL).text.splitlines()[0] == PARAS[0]


def test_lead_box_above_the_body_container_comes_first() -> None:
    # the summary box is a sibling of the body container the extractor picks
    header = "<div class='info'>时间：2023-02-03</div>"
    body = ("<div class='detail-con'><div class='art-lead'><span class='icon'></span>"
            f"<span class='art-lead-text'>{LEAD}</span></div><div class='art-con article_body'><div class='text'>"
            + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></div></div>")
    lines = extract_page(_page(body, header), URL).text.splitlines()
    assert lines == [LEAD, *PARAS]


def test_lead_div_at_the_top_of_the_body_container_comes_first() -> None:
    # a 导语 typed into a <div> before the body's <p>s: the extractor takes <p>s only once the body has enough
    header = "<div class='info'>时间：2023-02-03</div>"
    body = f"<div class='content-article'><div class='introduction'>{LEAD}</div>" + "".join(
        f"<p>{p}</p>" for p in PARAS) + "</div>"
    assert extract_page(_page(body, header), URL).text.splitlines() == [LEAD, *PARAS]


def test_a_menu_line_between_title_and_body_is_not_a_lead() -> None:
    header = "<div class='info'>时间：2023-02-03</div><div class='share'><a href='/s'>分享到微信</a> 评论 2819</div>"
    body = "<div class='article_body'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>"
    assert extract_page(_page(body, header), URL).text.splitlines() == PARAS


def test_text_after_an_early_end_of_document_is_kept() -> None:
    # the header include is a whole document: libxml2 stopped at its </html> and lost the article
    page = ("<html><head><title>某区23个重大项目集中签约</title></head><body><div class='header'>某区新闻网</div>"
            "</body></html>\n<div class='content'><h1>某区23个重大项目集中签约</h1>"
            + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></body></html>")
    assert extract_page(page, URL).text.splitlines() == PARAS


def test_keep_after_early_end_leaves_a_whole_document_alone() -> None:
    whole = "<html><body><p>正文</p></body></html>\n<!-- cached 2023-02-03 -->\n"
    assert keep_after_early_end(whole) == whole
    assert repair_markup(whole) == whole


def test_picture_link_beside_a_caption_is_unwrapped_and_a_lone_picture_left() -> None:
    # trafilatura deletes a short paragraph whose links all lack text, caption and all
    # (articles/gamersky/gamersky.html in test_pages_real shows it on a whole page)
    doc = lxml.html.document_fromstring(
        "<html><body><p><a href='/big/1.jpg'><img src='/1.jpg'></a><br>图为签约现场。</p>"
        "<p><a href='/big/2.jpg'><img src='/2.jpg'></a></p><p><a href='/x'>相关新闻</a>某区新闻。</p></body></html>")
    assert unwrap_image_links(doc)
    p1, p2, p3 = doc.findall(".//p")
    assert (p1.find("a"), p1.find("img") is not None, p1.text_content()) == (None, True, "图为签约现场。")
    assert p2.find("a") is not None and p3.find("a") is not None  # a lone picture, a text link: untouched


def test_a_video_players_build_date_is_not_the_publication_date() -> None:
    head = '<script>window.DATA = {"title": "x", "pubtime": "2023-02-03 19:02:26"};</script>'
    player = ("<div class='player'><div>视频信息 复制视频页面地址 复制调试信息 3.4.40 (2022-9-5 9:38:01 PM)</div></div>")
    body = player + "<div class='content-article'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>"
    page = extract_page(_page(body, head=head), "http://news.example.cn/a/1.html")
    assert (page.published, page.date_origin) == ("2023-02-03", "script")


def test_build_stamp_rule_spares_article_dates() -> None:
    assert BUILD_STAMP.search("版本号 3.4.40-1.0.141 (2019-9-5 9:38:01 PM)")
    assert not BUILD_STAMP.search("2019.09.05 10:08 来源：某日报")
    assert not BUILD_STAMP.search("发布时间：2023-02-03 10:00")


def test_closing_credits_and_the_menu_after_them_are_cut() -> None:
    tail = ["编辑|张三", "校对|李四", "1、回复【社保】查询社保缴纳记录", "点击菜单栏【便民服务】解锁更多服务！"]
    body = "<div class='news_txt'>" + "<br>".join(PARAS + tail) + "</div>"
    assert extract_page(_page(body), URL).text.splitlines() == PARAS


def test_a_credit_line_near_the_top_does_not_cut_the_body() -> None:
    body = "<div class='news_txt'>" + "<br>".join([PARAS[0], "编辑|张三", *PARAS[1:]]) + "</div>"
    assert extract_page(_page(body), URL).text.splitlines()[-1] == PARAS[-1]


def test_title_broken_over_lines_by_br_is_the_title_and_not_body() -> None:
    heading = "某市人民代表大会常务委员会关于批准某区2023年重大项目计划的决议"
    body = ("<div class='pages_content'><p align='center'><strong>某市人民代表大会常务委员会<br>"
            "关于批准某区2023年<br>重大项目计划的决议</strong></p>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>")
    page = ("<html><head><title>" + heading.replace("2023年", "2023　年") + "__2023年第3号公报_某市政府网</title></head>"
            "<body><div class='nav'><a href='/'>首页</a></div>" + body + "</body></html>")
    got = extract_page(page, URL)
    assert got.title == heading
    assert got.text.splitlines() == PARAS
