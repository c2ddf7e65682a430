"""Pages that are not articles (account profiles, column indexes, search results) and WeChat/app markup (pure)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import lxml.html
from lxml.etree import ParserError

# An article holds a block of running text at least this long (characters outside links); the pages judged
# not articles below never do, so a real article carrying a profile card or a search box is not caught.
ARTICLE_BLOCK = 300
# a list page: many title-like links, link text over 3x the rest, no text block of even a short notice
# (measured on ../shared/data/pages: article pages reach 1.8x with a block of 94+ characters, list pages 3.5x+)
_MIN_LIST_LINKS, _LIST_LINK_RATIO, _LIST_BLOCK = 20, 3, 100

# WeChat's js_content (and app pages copying it) is styled hidden until its script runs; trafilatura
# discards hidden-styled elements, so the body vanished. display:none stays hidden (chrome, pop-ups).
_HIDDEN_STYLE = re.compile(r"""(style\s*=\s*["'][^"']*?)(visibility\s*:\s*hidden|opacity\s*:\s*0(?![.\d]))""", re.I)

# (path regex, why) for URLs of pages that list articles rather than being one
_URL_KINDS = (
    (re.compile(r"/mp/profile_ext|/mp/homepage|/mp/getmasssendmsg|[?&]action=home\b", re.I), "an account profile page"),
    (re.compile(r"/mp/appmsgalbum|[?&]action=getalbum\b", re.I), "a column index page"),
    (re.compile(r"/search\b|/so/|/sousuo|[?&](?:query|keyword|keywords|searchword|wd|q)=", re.I),
     "a search-result page"),
)
# (xpath, why) for markup of the same kinds of pages (WeChat's class names, and generic ones)
_MARKUP_KINDS = (
    ("//*[contains(@class,'profile_nickname') or contains(@class,'profile_info') or @id='js_profile_qrcode']",
     "an account profile page"),
    ("//*[contains(@class,'album__list') or contains(@class,'album_list') or contains(@id,'js_album')]",
     "a column index page"),
    ("//*[contains(@class,'search-result') or contains(@class,'search_result') or contains(@class,'result-list')]",
     "a search-result page"),
)
_SEARCH_TEXT = re.compile(r"搜索结果|找到约?\s*[\d,，]+\s*(?:条|篇|个)(?:相关)?结果|共找到\s*[\d,，]+")


def reveal_hidden(html: str) -> str:
    """The page with ``visibility:hidden`` / ``opacity:0`` inline styles made visible (the text is still the
    body: WeChat shows it when its script runs).

    >>> reveal_hidden('<div id="js_content" style="visibility: hidden;">正文</div>')
    '<div id="js_content" style="visibility:visible;">正文</div>'
    >>> reveal_hidden('<p style="opacity:0.5">x</p>')
    '<p style="opacity:0.5">x</p>'
    """
    return _HIDDEN_STYLE.sub(lambda m: m.group(1) + ("visibility:visible" if "vis" in m.group(2).lower() else "opacity:1"), html)


_RICH_MEDIA = "//*[@id='js_content' or contains(@class,'rich_media_content')]"
_INLINE = {"span", "strong", "b", "em", "i", "u", "font", "br", "img", "a", "sup", "sub", "small", "big", "code"}


def normalise_app_markup(html: str) -> str:
    """WeChat-style markup made readable for trafilatura: hidden styles revealed, and inside the
    rich_media_content / js_content body every <section> holding only inline text (spans, <br>) made a <p>:
    trafilatura takes no paragraph from a <section> of <span>s and returned the account's chrome instead.

    >>> out = normalise_app_markup('<html><body><div id="js_content" style="visibility: hidden;">'
    ...                            '<section><span>今天凌晨，</span><span>某公司发布新品。</span></section></div></body></html>')
    >>> '<p><span>今天凌晨，</span>' in out, 'visibility:visible' in out
    (True, True)
    """
    html = reveal_hidden(html)
    if "js_content" not in html and "rich_media_content" not in html:
        return html
    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return html
    changed = False
    for box in doc.xpath(_RICH_MEDIA):
        for section in list(box.iter("section")):
            inner = [x.tag.lower() for x in section.iterdescendants() if isinstance(x.tag, str)]
            if all(t in _INLINE for t in inner) and section.text_content().strip():
                section.tag = "p"
                changed = True
    return lxml.html.tostring(doc, encoding="unicode") if changed else html


def _visible_chars(doc: lxml.html.HtmlElement) -> tuple[int, int]:
    """Characters (whitespace aside) of the body's visible text outside links and inside them."""
    inside = outside = 0
    body = doc.find("body")
    for t in (body if body is not None else doc).xpath(".//text()[not(ancestor::script or ancestor::style)]"):
        n = len("".join(str(t).split()))
        if t.getparent() is not None and t.getparent().xpath("ancestor-or-self::a"):
            inside += n
        else:
            outside += n
    return outside, inside


def _title_links(doc: lxml.html.HtmlElement) -> int:
    return sum(1 for a in doc.iter("a") if a.get("href") and len("".join(a.text_content().split())) >= 8)


def not_article_reason(doc: lxml.html.HtmlElement, url: str, block_size: int) -> str | None:
    """Why a page is not an article ("not an article: an account profile page"), or None for an article.

    ``block_size`` is the page's largest block of running text (parsers.body.main_block_size): a page with
    an article-sized block is an article whatever its URL or markup says.

    >>> doc = lxml.html.document_fromstring('<html><body><strong class="profile_nickname">某某发布</strong></body></html>')
    >>> not_article_reason(doc, "https://mp.example.cn/mp/profile_ext?action=home&__biz=1", 0)
    'not an article: an account profile page (URL /mp/profile_ext?action=home&__biz=1)'
    >>> not_article_reason(doc, "https://mp.example.cn/s/abc", 1200) is None
    True
    """
    if block_size >= ARTICLE_BLOCK:
        return None
    parts = urlsplit(url)
    where = parts.path + (f"?{parts.query}" if parts.query else "")
    for pattern, why in _URL_KINDS:
        if pattern.search(where) and (why != "a search-result page" or _is_search(parts.query, parts.path)):
            return f"not an article: {why} (URL {where})"
    for xpath, why in _MARKUP_KINDS:
        if doc.xpath(xpath):
            return f"not an article: {why} (markup)"
    body = doc.find("body")
    if body is not None and _SEARCH_TEXT.search(body.text_content()[:3000]):
        return "not an article: a search-result page (text)"
    links = _title_links(doc)
    if links >= _MIN_LIST_LINKS and block_size < _LIST_BLOCK:
        outside, inside = _visible_chars(doc)
        if outside * _LIST_LINK_RATIO < inside:
            return f"not an article: a list of {links} links and no block of running text"
    return None


def _is_search(query: str, path: str) -> bool:
    """A search URL: a search path, or a query naming the search words (not just any ?q= on an article)."""
    if re.search(r"/search\b|/so/|/sousuo", path, re.I):
        return True
    keys = {k.lower() for k in parse_qs(query)}
    return bool(keys & {"query", "keyword", "keywords", "searchword", "wd", "q"})
