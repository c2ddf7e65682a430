"""The article title among a page's lines, and the header lines above the body (pure).

The <title> often carries the site's (or column's) name beside the article's: the article title is the part
the page shows alone on a line; a <title> naming only the site and a column says nothing of the article, whose
title is then the heading line above the byline; a site-name <h1> (the logo) is not the title either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

import lxml.html

from parsers.pagedom import block_lines, norm_title

# separators between a <title>'s parts; a plain space too, but only where the rest is the site's name
_SEP = re.compile(r"\s*(?:[-_|｜]+|—{1,2}|–)\s*|\s+")
_SEP_CHARS = " \t\u3000-_|｜—–"
# a <title> part naming the site or a column, not an article
_SITE_PART = re.compile(
    r"(?:网|网站|门户|频道|政府|官网|中心|平台|客户端|日报|晚报|首页|栏目|动态|要闻|新闻|资讯|通知|公告|专题)$"
)
_BADGE = 4  # characters of a badge (原创, 独家, 置顶) a heading shows before the title
_MIN_TITLE = 8  # characters of the shortest article title taken from a line
# a header line under the title: labelled facts (来源：X 作者：Y 时间：...) or a date, no sentence
_LABEL = re.compile(r"(?:来源于?|作者|发布(?:时间|日期)|时间|日期|记者|通讯员|供稿|编辑|浏览(?:次数)?|点击(?:数)?|阅读)\s*[:：]")
_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_MAX_HEADER_LINE = 80
_PARAGRAPH = 50  # characters of the body's first paragraph under a byline
# a breadcrumb or column label above the title kept by the extractor: a few short lines
_MAX_BREADCRUMB_LINES, _MAX_BREADCRUMB_LINE = 8, 20


def is_header_line(line: str) -> bool:
    """Whether a line holds only article facts (来源, 作者, 发布时间, a date, a view count), no sentence.

    >>> [is_header_line(x) for x in ("2019-09-26 12:11来源：证券时报网作者：李在山", "来源：本站原创 作者：某支部", "33")]
    [True, True, True]
    >>> is_header_line("2019年2月27日下午，某区调研组一行到某园区实地考察。")
    False
    """
    s = line.strip()
    if not s or len(s) > _MAX_HEADER_LINE or _SENTENCE_END.search(s):
        return False
    if s.isdigit() and len(s) <= 8:  # a view or comment count under the byline
        return True
    return bool(_LABEL.search(s) or (_DATE.search(s) and len(s) <= 40))


def _title_like(line: str) -> bool:
    return _MIN_TITLE <= len(line) <= _MAX_HEADER_LINE and not line.endswith(("。", "：", ":")) and not is_header_line(line)


def title_parts(raw: str) -> list[str]:
    """A <title>'s parts between separators ("新闻动态--中国地理学会官网" -> 2 parts).

    >>> title_parts("新闻动态--中国地理学会官网")
    ['新闻动态', '中国地理学会官网']
    """
    return [p for p in (x.strip() for x in re.split(r"\s*(?:[-_|｜]+|—{1,2}|–)\s*", raw)) if p]


def names_site_only(raw: str) -> bool:
    """Whether a <title> names only the site and a column (each part a site or column name).

    >>> names_site_only("新闻动态--中国地理学会官网"), names_site_only("某市重大项目集中开工_某市人民政府")
    (True, False)
    """
    parts = title_parts(raw)
    return len(parts) >= 2 and all(_SITE_PART.search(p) or len(p) <= 3 for p in parts)


def _site_words(doc: lxml.html.HtmlElement, lines: Sequence[str]) -> str:
    """Where a site names itself: short visible lines (logo, column, 版权所有 footer), meta values, image alts."""
    metas = [m.get("content") or "" for m in doc.iter("meta")]
    alts = [x for el in doc.iter("img") for x in (el.get("alt") or "", el.get("title") or "")]
    return "\n".join([*(x for x in lines if len(x) <= 60), *metas, *alts])


def shown_title_edge(raw: str, lines: Sequence[str], site_words: str) -> str | None:
    """The longest line the page shows that begins or ends the <title> at a separator or space, the rest of the
    <title> being the site's name (each of its parts named elsewhere on the page: logo, footer, meta).

    >>> shown_title_edge("某医院举办技能大赛 某省中医医院", ["某医院举办技能大赛", "正文"], "版权所有 某省中医医院")
    '某医院举办技能大赛'
    >>> shown_title_edge("某市召开会议 部署全年工作", ["某市召开会议"], "") is None
    True
    """
    best: str | None = None
    for line in {norm_title(x) for x in lines}:
        if len(line) < _MIN_TITLE or len(line) * 2 < len(raw) or line == raw:
            continue
        if raw.startswith(line):
            rest, edge = raw[len(line) :], raw[len(line) : len(line) + 1]
        elif raw.endswith(line):
            rest, edge = raw[: -len(line)], raw[-len(line) - 1 : -len(line)]
        else:
            continue
        parts = [p for p in _SEP.split(rest) if p.strip(_SEP_CHARS)]
        if edge and edge in _SEP_CHARS and parts and all(p in site_words for p in parts):
            if best is None or len(line) > len(best):
                best = line
    return best


def heading_above_byline(lines: Sequence[str]) -> str | None:
    """The heading line above the byline that opens the body (a title-like line, header lines, a paragraph).

    >>> heading_above_byline(["首页 - 新闻动态", "某学术年会在某大学成功举行！", "发布时间：2019-05-18 来源：某学会",
    ...                       "5月10-12日，某学术年会在某大学举行，来自北京大学、清华大学等120余所高校的600余名专家学者参会。"])
    '某学术年会在某大学成功举行！'
    """
    for i in range(1, len(lines) - 1):
        if not is_header_line(lines[i]) or not _title_like(lines[i - 1]):
            continue
        j = i
        while j < len(lines) and is_header_line(lines[j]):
            j += 1
        if j < len(lines) and len(lines[j]) >= _PARAGRAPH:
            return norm_title(lines[i - 1])
    return None


def better_title(doc: lxml.html.HtmlElement, title: str | None) -> str | None:
    """``title`` (chosen from metas, headings and trafilatura) replaced when it is a <title> the page does not
    show: by the part of it the page shows, the rest being the site's name; or, for a <title> naming only the
    site and a column, by the heading above the byline. A heading that is the <title> behind a badge gives way
    to the <title>."""
    raw = norm_title(doc.findtext(".//title") or "")
    if raw and title and title != raw and len(raw) >= _MIN_TITLE and title.endswith(raw) and len(title) - len(raw) <= _BADGE:
        return raw  # the heading shows the whole <title> behind a badge (原创, 独家, 置顶)
    if not raw or not title or title not in (raw, *title_parts(raw)):
        return title
    lines = block_lines(doc)
    if raw in {norm_title(x) for x in lines}:
        return title
    if names_site_only(raw):
        return heading_above_byline(lines) or title
    if title == raw:
        return shown_title_edge(raw, lines, _site_words(doc, lines)) or title
    return title


def is_logo_heading(h: lxml.html.HtmlElement) -> bool:
    """Whether an <h1> is the site's logo: it links to the site's home page (or shows a logo image).

    >>> h = lxml.html.fragment_fromstring('<h1><a href="http://www.x.com"><img src="/logo.gif">某某网</a></h1>')
    >>> is_logo_heading(h), is_logo_heading(lxml.html.fragment_fromstring('<h1>某市项目开工</h1>'))
    (True, False)
    """
    for a in h.iter("a"):
        if urlsplit((a.get("href") or "").strip()).path in ("", "/", "/index.html", "/index.htm") and a.get("href"):
            return True
    return any("logo" in f"{img.get('class', '')} {img.get('src', '')} {img.get('id', '')}".lower() for img in h.iter("img"))


def drop_header(lines: list[str], title: str | None) -> list[str]:
    """The text without the breadcrumb, heading and byline the extractor kept above the body: when the title
    is one of the first lines and only short lines (您所在的位置, 首页 >, the column) stand before it.

    >>> drop_header(["您所在的位置：", "首页 >", "快讯 >", "某公司中标7亿元项目", "2019-09-26 12:11来源：某报", "正文。"],
    ...             "某公司中标7亿元项目")
    ['正文。']
    >>> drop_header(["某区项目签约，总投资10亿元。", "某公司中标7亿元项目"], "某公司中标7亿元项目")
    ['某区项目签约，总投资10亿元。', '某公司中标7亿元项目']
    """
    if not title:
        return lines
    head = lines[: _MAX_BREADCRUMB_LINES + 1]
    at = next((i for i, x in enumerate(head) if norm_title(x) == title), None)
    if at is None or not all(len(x) <= _MAX_BREADCRUMB_LINE and not _SENTENCE_END.search(x) for x in lines[:at]):
        return lines
    rest = lines[at + 1 :]
    while rest and is_header_line(rest[0]):
        rest = rest[1:]
    return rest
