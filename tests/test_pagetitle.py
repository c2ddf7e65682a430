"""Article titles against a <title> carrying the site's name, a site-name <h1>, and the header above the body."""

from __future__ import annotations

import json

from parsers.html import extract_page

_BODY = (
    "<p>3月5日上午，某市2024年第一季度重大项目集中开工活动在某某产业园举行，本次集中开工项目共32个，总投资218亿元。</p>"
    "<p>项目涵盖新能源、新材料、高端装备制造等领域，将进一步壮大全市实体经济，为高质量发展注入新动能。</p>"
)


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_title_with_a_space_separated_site_name_is_the_line_the_page_shows() -> None:
    html = _page(
        "<title>某市重大项目集中开工活动举行 某市经济信息网</title>",
        '<div class="nav"><a href="/">首页</a></div><div class="tit">某市重大项目集中开工活动举行</div>'
        f'<div class="info">来源：某市发改局 时间：2024-03-05</div><div class="con">{_BODY}</div>'
        '<div class="foot">版权所有 某市经济信息网</div>',
    )
    page = extract_page(html, "http://x.cn/a/1.html")
    assert page.title == "某市重大项目集中开工活动举行"
    assert page.text.startswith("3月5日上午")


def test_title_part_is_kept_when_the_rest_is_not_the_sites_name() -> None:
    # "部署全年工作" is the headline's second half, named nowhere as the site: the whole <title> stays
    html = _page(
        "<title>某市召开重大项目推进会议 部署全年工作</title>",
        f'<div class="tit">某市召开重大项目推进会议</div><div class="con">{_BODY}</div>',
    )
    assert extract_page(html, "http://x.cn/a/2.html").title == "某市召开重大项目推进会议 部署全年工作"


def test_a_title_naming_only_site_and_column_gives_way_to_the_heading_above_the_byline() -> None:
    html = _page(
        "<title>工作动态--某某学会官网</title>",
        '<div class="crumb">首页 - 工作动态</div><div class="detail"><div>某某学会2024年学术年会在某大学成功举行！</div>'
        f"<div>发布时间：2024-05-18 来源：某某学会</div>{_BODY}</div>",
    )
    page = extract_page(html, "http://x.cn/news/3.html")
    assert page.title == "某某学会2024年学术年会在某大学成功举行！"
    assert page.published == "2024-05-18"


def test_site_logo_h1_is_not_the_title() -> None:
    html = _page(
        "<title>某某财经--某公司中标7亿元风电项目</title>",
        '<h1><a class="brand" href="http://www.x.cn"><img src="/images/logo.gif">某某财经网，权威财经资讯网站</a></h1>'
        f'<div class="title-text">某公司中标7亿元风电项目</div><div class="content">{_BODY}</div>',
    )
    page = extract_page(html, "http://www.x.cn/news/4.html")
    assert page.title == "某公司中标7亿元风电项目"
    assert "某公司中标7亿元风电项目" not in page.text


def test_breadcrumb_heading_and_byline_above_the_body_are_not_text() -> None:
    html = _page(
        "<title>某公司中标7亿元风电项目_某某财经网</title>",
        '<div class="main"><div>您所在的位置：</div><a href="/">首页</a> &gt; <a href="/kx/">快讯</a> &gt;'
        '<h1>某公司中标7亿元风电项目</h1><div>2024-03-05 12:11来源：某某财经网作者：某某</div>'
        f"{_BODY}<p>声明：某某财经网力求信息真实、准确，文章提及内容仅供参考，不构成实质性投资建议。</p></div>",
    )
    page = extract_page(html, "http://www.x.cn/news/5.html")
    assert page.title == "某公司中标7亿元风电项目"
    assert page.text.startswith("3月5日上午"), page.text[:80]
    assert "声明" not in page.text


def test_a_badge_before_the_heading_is_not_in_the_title() -> None:
    html = _page(
        "<title>某县光伏电站并网发电 年发电量1.2亿千瓦时</title>",
        f'<div class="info"><h2 class="title"><span>原创</span>某县光伏电站并网发电 年发电量1.2亿千瓦时</h2></div>'
        f'<div class="con">{_BODY}</div>',
    )
    assert extract_page(html, "http://x.cn/a/6.html").title == "某县光伏电站并网发电 年发电量1.2亿千瓦时"


def test_gallery_captions_kept_only_in_script_data_are_the_body() -> None:
    captions = [
        "某县新建的光伏电站今日并网发电，年发电量可达1.2亿千瓦时，可满足5万户家庭全年用电。",
        "电站总投资5亿元，占地1200亩，由某能源集团投资建设，是全省单体规模最大的农光互补项目。",
        "项目建成后每年可减少二氧化碳排放约10万吨，带动周边村民就业300余人。",
    ]
    data = json.dumps(json.dumps({"count": 3, "sub_images": [{"url": "/i/1.jpg"}] * 3, "sub_abstracts": captions}))
    html = _page(
        "<title>某县光伏电站并网发电</title>",
        f'<div class="gallery"><span>1/3</span><p>{captions[0]}</p><a href="#">举报</a></div>'
        f"<script>var gallery = JSON.parse({data});</script>",
    )
    page = extract_page(html, "http://x.cn/a/7.html")
    assert page.text.splitlines() == captions
