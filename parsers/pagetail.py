"""What surrounds an article's body on its page and is not the article: comment threads, ranking and 推荐
blocks, promos (pure).

Three rules, the first two only ever removing what comes after the body:
- ``prune_trailing_blocks`` (HTML): elements after the page's main text block whose class/id names a
  comment, recommendation, ranking or related-news section, whose first line is such a section's heading
  (推荐阅读, 小编最近文章, 热门跟贴 ...), or that are mostly other pages' headlines, are removed before the
  extractor sees the page (which also lets trafilatura settle on the article's own container);
- ``cut_after_end_marker`` (text lines): the lines after an end-of-article marker (责任编辑：…, （完）,
  【编辑：…】) in the last part of the text, when they are short beside the body above it;
- ``is_promo_line``: a short line carrying a bracketed call to action (【点击投票】), anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
from lxml.etree import ParserError

from parsers.pagedom import INLINE_TAGS, own_text_size

# ---------------------------------------------------------------- trailing blocks (HTML)

# class/id words of a section that is not the article: comments, recommendations, rankings, related news.
# Compared word by word (hot-recommend-cont, post_comment, mostRead), so "photo" never matches "hot".
_SECTION_WORDS = frozenset(
    {
        "comment", "comments", "cmt", "commt", "reply", "replies", "discuss", "discussion",  # comment threads
        "recommend", "recommended", "recommendation", "recommends", "recom",  # 推荐
        "hot", "hotnews", "rank", "ranking", "ranklist", "popular", "trending", "most",  # 热点/排行, most-read
        "related", "relate", "relevant", "similar", "resemble",  # 相关新闻
        "keyword", "keywords", "disclaimer",  # the tag line and the site's 特别声明 under the body
    }
)  # fmt: skip
# the heading that opens such a section (the element's first line): 推荐阅读, 相关新闻, 小编最近文章, 热门跟贴 ...
_SECTION_HEADING = re.compile(
    r"^[【\[]?(?:(?:小编|编辑|作者|本站|网友)?(?:推荐|相关|延伸|热点|热门|精彩|更多|最新|最近|猜你喜欢|今日|24小时)"
    r"(?:阅读|新闻|文章|推荐|资讯|报道|专题|视频|图片|评论|跟帖|跟贴|留言|排行|排行榜)?|"
    r"(?:热点|热门|点击|阅读|新闻|24小时|今日)?(?:排行|排行榜|热榜)|(?:网友|全部|热门|最新|精彩)?(?:评论|跟帖|跟贴|留言)|"
    r"猜你喜欢|为你推荐)[】\]]?(?:[(（]\d+[)）])?$"  # 评论（15）: a comment box's heading with its count
)
_HEADING_MAX = 12  # characters: a section heading is a short line
_SKIP_TAGS = {"script", "style", "noscript", "template"}
_INLINE = INLINE_TAGS


def _words(el: lxml.html.HtmlElement) -> set[str]:
    """The lower-case words of an element's class and id ("hot-recommend-cont mostRead" -> hot, recommend, ...)."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}"
    raw = re.sub(r"([a-z])([A-Z])", r"\1 \2", raw)  # camelCase: mostRead -> most Read
    return {w.lower() for w in re.split(r"[^A-Za-z]+", raw) if w}


def main_block(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element holding the most running text of its own: the article body's container."""
    best, best_size = None, 0
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag.lower() in _INLINE or el.tag.lower() in _SKIP_TAGS | {"a"}:
            continue
        size = own_text_size(el)
        if size > best_size:
            best, best_size = el, size
    return best


def _first_line(el: lxml.html.HtmlElement) -> str:
    """The element's first non-empty visible text node, whitespace removed."""
    for text in _texts(el):
        flat = "".join(text.split())
        if flat:
            return flat
    return ""


def _texts(el: lxml.html.HtmlElement) -> Iterator[str]:
    if not isinstance(el.tag, str) or el.tag.lower() in _SKIP_TAGS:
        return
    if el.text:
        yield el.text
    for child in el:
        yield from _texts(child)
        if child.tail:
            yield child.tail


def is_section_heading(line: str) -> bool:
    """Whether a short line is the heading of a block that is not the article.

    >>> [is_section_heading(x) for x in ("推荐阅读", "【相关新闻】", "小编最近文章", "热门跟贴", "评论（15）", "项目推荐会召开")]
    [True, True, True, True, True, False]
    """
    flat = "".join(line.split())
    return len(flat) <= _HEADING_MAX and bool(_SECTION_HEADING.match(flat))


_MIN_LINKS = 3  # title-like links that make a block a list of other pages
_TITLE_LINK = 6  # characters of link text that make a link a headline, not a menu word
_LINK_SHARE = 0.6  # share of a block's text in links above which it is a link list
_DOCUMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z)(?:[?#]|$)", re.I)


def _text_size(el: lxml.html.HtmlElement) -> int:
    return sum(len("".join(t.split())) for t in _texts(el))


def is_link_list(el: lxml.html.HtmlElement) -> bool:
    """A block that is mostly headlines of other pages (with their dates, counters, 评论 683): three or more
    links of headline length holding most of its text.

    >>> import lxml.html
    >>> is_link_list(lxml.html.fragment_fromstring(
    ...     "<div><a href='/1'>某市召开重大项目推进会</a><span>评论 683</span><a href='/2'>某县新材料产业园开工</a>"
    ...     "<a href='/3'>某区一季度经济运行情况</a></div>"))
    True
    >>> is_link_list(lxml.html.fragment_fromstring("<p>" + "某区项目签约，总投资10亿元。" * 4 + "<a href='/1'>某县新材料产业园开工</a></p>"))
    False
    """
    anchors = list(el.iter("a"))
    links = [len("".join(a.text_content().split())) for a in anchors]
    # a notice's 附件 (links to its documents) belongs to it: those links are not other pages' headlines
    titles = [n for a, n in zip(anchors, links, strict=True) if n >= _TITLE_LINK and not _DOCUMENT.search(a.get("href") or "")]
    size = _text_size(el)
    return len(titles) >= _MIN_LINKS and size > 0 and sum(links) >= _LINK_SHARE * size


def _trailing_section(el: lxml.html.HtmlElement) -> bool:
    """An element named as a comment/recommendation/ranking/related section, opened by such a heading, or
    made mostly of other pages' headlines."""
    return bool(_words(el) & _SECTION_WORDS) or is_section_heading(_first_line(el)) or is_link_list(el)


def prune_trailing_blocks(html: str) -> str:
    """The page without the comment, 推荐, ranking and related-news sections that follow its main text block
    (the element holding the most running text): each is removed whole; nothing before the main block or
    holding it is touched. The page unchanged when there is none.

    >>> page = ('<html><body><div id="content"><p>' + '某区项目签约，总投资10亿元。' * 8 + '</p></div>'
    ...         '<div class="hot-list"><p>某县新材料产业园项目开工</p></div>'
    ...         '<div><h2>推荐阅读</h2><p>某市召开重大项目推进会议</p></div><p>联系我们</p></body></html>')
    >>> out = prune_trailing_blocks(page)
    >>> "某区项目签约" in out, "某县新材料" in out, "某市召开" in out, "联系我们" in out
    (True, False, False, True)
    """
    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return html
    main = main_block(doc)
    if main is None:
        return html
    inside = set(main.iter())
    after, drop = False, []
    for el in doc.iter():
        if el in inside:
            after = True  # document order: every element met after the main block's subtree follows it
            continue
        if not after or not isinstance(el.tag, str) or el.tag.lower() in _SKIP_TAGS | {"body", "html"}:
            continue
        if any(a in drop for a in el.iterancestors()):
            continue
        if _trailing_section(el):
            drop.append(el)
    if not drop:
        return html
    for el in drop:
        el.drop_tree()  # keeps the element's tail text, which belongs to its parent
    return lxml.html.tostring(doc, encoding="unicode")


# ---------------------------------------------------------------- end-of-article markers (text)

# a line that closes an article: its editor's credit (责任编辑：X, (责编：X), 【编辑：X】, a WeChat post's
# 编辑|X), or a line ending with （完）/(完)/【完】, the wire-service end mark
_EDITOR_LINE = re.compile(
    r"^(?:-\s*)?[(（【\[]?\s*(?:责任编辑|责编|编辑|值班编辑|审核|校对|终审)\s*[:：|｜][^。！？]{0,30}[)）】\]]?$"
)
_END_MARK = re.compile(r"[(（【\[]\s*完\s*[)）】\]]$")
_TAIL_SHARE = 0.5  # what follows the marker must be under this share of the text above it


def _size(lines: list[str]) -> int:
    return sum(len("".join(line.split())) for line in lines)


def is_editor_line(line: str) -> bool:
    """Whether a line is an editor's credit.

    >>> [is_editor_line(x) for x in ("责任编辑：王晓燕_NJ1375", "- 责任编辑: 刘响", "(责编：汤诗瑶、丁涛)", "责编|陈梦莹")]
    [True, True, True, True]
    >>> is_editor_line("编辑部收到读者来信后立即核实。")
    False
    """
    return bool(_EDITOR_LINE.match(line.strip()))


def cut_after_end_marker(lines: list[str]) -> list[str]:
    """The lines before the last end-of-article marker, when what follows it is short beside what precedes
    it (a promo, a list, a comment box kept after the body): a （完） line stays (it ends the last
    paragraph), editors' credits just above the cut go. A marker near the top (a header's 编辑：X) cuts nothing.

    >>> body = ["某区项目签约，总投资10亿元，计划年内开工建设。" * 3, "责编|某某", "校对|某某", "回复【福利】查看政策"]
    >>> cut_after_end_marker(body) == body[:1]
    True
    >>> cut_after_end_marker(["某区项目签约，总投资10亿元，计划年内开工建设。（完）", "关注公众号"])
    ['某区项目签约，总投资10亿元，计划年内开工建设。（完）']
    >>> cut_after_end_marker(["编辑：某某", "某区项目签约，总投资10亿元。"])
    ['编辑：某某', '某区项目签约，总投资10亿元。']
    """
    for i in range(len(lines) - 1, -1, -1):
        editor, end = is_editor_line(lines[i]), bool(_END_MARK.search(lines[i].strip()))
        if not (editor or end):
            continue
        head, tail = lines[: i if editor else i + 1], lines[i + 1 :]
        while head and is_editor_line(head[-1]):
            head = head[:-1]
        return head if _size(tail) < _TAIL_SHARE * _size(head) else lines
    return lines


# a portal's promotion around the body: a short line whose bracketed link asks for a click (【点击投票】,
# [点击查看]); a paragraph of the article does not address the reader with a button
_CALL_TO_ACTION = re.compile(r"[【\[]\s*点击[^】\]]{0,8}[】\]]")
_PROMO_MAX = 100  # characters


def is_promo_line(line: str) -> bool:
    """Whether a line is a promotion (a short line with a bracketed call to action).

    >>> is_promo_line("2018十大经济年度人物评选火热进行中！【点击投票】Pick你心目中的商业领袖")
    True
    >>> is_promo_line("点击率同比增长三成，项目签约额达10亿元。")
    False
    """
    return len(line.strip()) <= _PROMO_MAX and bool(_CALL_TO_ACTION.search(line))


def trim_lines(lines: list[str]) -> list[str]:
    """The extracted lines without promotions and without what follows the end-of-article marker.

    >>> trim_lines(["活动进行中！【点击报名】", "某区项目签约，总投资10亿元，计划年内开工建设。" * 2, "（完）", "热点新闻"])
    ['某区项目签约，总投资10亿元，计划年内开工建设。某区项目签约，总投资10亿元，计划年内开工建设。', '（完）']
    """
    return cut_after_end_marker([line for line in lines if not is_promo_line(line)])
