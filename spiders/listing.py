"""Pure parsers for listing documents: HTML list pages, RSS/Atom feeds, sitemaps and JSON list APIs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from defusedxml import ElementTree as SafeET
from parsel import Selector

from spiders.config import Source
from spiders.threadlist import thread_title_anchors
from spiders.urls import canonical_url, continuation_of, looks_like_article, looks_like_list, same_org, same_site


@dataclass(frozen=True)
class ListEntry:
    """An article link found on a listing, with what the listing says about it."""

    url: str  # canonical absolute URL
    title: str | None = None
    date: str | None = None  # ISO date (YYYY-MM-DD)
    lastmod: str | None = None  # ISO timestamp/date from a sitemap or feed, for change detection


# ---------------------------------------------------------------- dates

_YMD = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def iso_date(value: Any) -> str | None:
    """The calendar date (as written, in the stated zone) of a listing date value, or None.

    Hand-written because listings mix RFC 822, ISO 8601, 'YYYY-MM-DD HH:MM:SS', 2023年2月3日 and
    epoch numbers; a year-less 'MM-DD HH:MM' is refused rather than guessed.

    >>> iso_date("Wed, 12 Apr 2023 11:26:41 +0800"), iso_date("2023-05-16 07:45:00")
    ('2023-04-12', '2023-05-16')
    >>> iso_date("2022-12-12T10:30:00+08:00"), iso_date("2023年2月3日"), iso_date("01-20 16:42")
    ('2022-12-12', '2023-02-03', None)
    >>> iso_date(1676000000000)
    '2023-02-10'
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        ts = float(value) / (1000 if value > 1e11 else 1)
        if ts <= 0:
            return None
        # epoch values carry no zone; the sites are in China (UTC+8)
        return datetime.fromtimestamp(ts + 8 * 3600, UTC).date().isoformat()
    s = str(value).strip()
    if not s:
        return None
    m = _YMD.search(s)
    if m:
        y, mo, d = (int(x) for x in m.groups())
        try:
            return datetime(y, mo, d).date().isoformat()
        except ValueError:
            return None
    if re.fullmatch(r"\d{10}|\d{13}", s):
        return iso_date(int(s))
    try:
        return parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _lastmod(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


# ---------------------------------------------------------------- kind detection


def detect_kind(url: str, content_type: str, body: bytes) -> str:
    """Which listing parser a document needs: "feed", "sitemap", "api" or "list".

    >>> detect_kind("http://x/rss", "text/xml", b"<?xml version='1.0'?><rss version='2.0'>")
    'feed'
    >>> detect_kind("http://x/s.xml", "", b"<urlset xmlns='...'>"), detect_kind("http://x/a", "", b' {"a":1}')
    ('sitemap', 'api')
    >>> detect_kind("http://x/robots.txt", "text/plain", b"Sitemap: /sitemap.xml"), detect_kind("http://x/", "text/html", b"<html>")
    ('sitemap', 'list')
    """
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    ct = content_type.lower()
    if "json" in ct or head[:1] in (b"{", b"["):
        return "api"
    if urlsplit(url).path.endswith("robots.txt"):
        return "sitemap"
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    return "list"


# ---------------------------------------------------------------- feeds and sitemaps


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el: Any, *names: str) -> str | None:
    for child in el:
        if _local(child.tag) in names and (child.text or "").strip():
            return str(child.text).strip()
    return None


def parse_feed(body: bytes, base_url: str) -> list[ListEntry]:
    """Items of an RSS 0.9x/1.0/2.0 or Atom feed; relative links resolved against the feed URL.

    >>> rss = b'''<rss version="2.0"><channel><item><title>T</title><link>/dy/a/1.html</link>
    ... <pubDate>Wed, 12 Apr 2023 11:26:41 +0800</pubDate></item></channel></rss>'''
    >>> parse_feed(rss, "http://h:1/rss/local.xml")
    [ListEntry(url='http://h:1/dy/a/1.html', title='T', date='2023-04-12', lastmod='Wed, 12 Apr 2023 11:26:41 +0800')]
    """
    root = SafeET.fromstring(body)
    out: list[ListEntry] = []
    feed_base = _xml_base(root, base_url)
    for el in root.iter():
        name = _local(el.tag)
        entry_base = _xml_base(el, feed_base)
        if name == "item":
            link = _child_text(el, "link")
            if not link:
                guid = next((c for c in el if _local(c.tag) == "guid"), None)
                if guid is not None and guid.get("isPermaLink", "true") != "false":
                    link = (guid.text or "").strip() or None
            when = _child_text(el, "pubdate", "date", "published", "updated")
        elif name == "entry":
            link = None
            for c in el:
                if _local(c.tag) == "link" and c.get("href") and c.get("rel", "alternate") == "alternate":
                    link = urljoin(_xml_base(c, entry_base), str(c.get("href")).strip())
                    break
            when = _child_text(el, "published", "updated", "issued", "modified")
        else:
            continue
        if link:
            out.append(
                ListEntry(
                    url=canonical_url(urljoin(entry_base, link.strip())),
                    title=_child_text(el, "title"),
                    date=iso_date(when),
                    lastmod=_lastmod(when),
                )
            )
    return out


def feed_next_page(body: bytes, base_url: str) -> str | None:
    """The next page of a paged feed (RFC 5005: ``<link rel="next">`` in Atom, ``<atom:link rel="next">`` in RSS).

    >>> rss = b'''<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel>
    ... <atom:link rel="next" href="/rss/local.xml?page=2"/><item><link>/a.html</link></item></channel></rss>'''
    >>> feed_next_page(rss, "http://h/rss/local.xml"), feed_next_page(b"<rss><channel/></rss>", "http://h/")
    ('http://h/rss/local.xml?page=2', None)
    """
    root = SafeET.fromstring(body)
    for el in root.iter():
        if _local(el.tag) == "link" and (el.get("rel") or "").lower() == "next" and (el.get("href") or "").strip():
            return urljoin(_xml_base(el, base_url), str(el.get("href")).strip())
    return None


_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def _xml_base(el: Any, base_url: str) -> str:
    # Atom (and some RSS) feeds set xml:base on the feed, an entry or a link: relative links resolve against it
    value = el.get(_XML_BASE)
    return urljoin(base_url, value.strip()) if value and value.strip() else base_url


def parse_sitemap(body: bytes, base_url: str) -> tuple[list[ListEntry], list[str]]:
    """(page entries, child sitemap URLs) of a sitemap, sitemap index or robots.txt.

    >>> sm = b'<urlset><url><loc>/news/20221208/article.html</loc><lastmod>2022-12-08</lastmod></url></urlset>'
    >>> parse_sitemap(sm, "http://h:1/sitemap.xml")[0][0].url
    'http://h:1/news/20221208/article.html'
    >>> parse_sitemap(b"User-agent: *\\nSitemap: /sitemap.xml\\n", "http://h:1/robots.txt")
    ([], ['http://h:1/sitemap.xml'])
    """
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"<"):  # robots.txt: follow its Sitemap: lines
        text = body.decode("utf-8", "replace")
        maps = re.findall(r"(?im)^\s*sitemap\s*:\s*(\S+)", text)
        return [], [urljoin(base_url, m) for m in maps]
    root = SafeET.fromstring(body)
    entries: list[ListEntry] = []
    children: list[str] = []
    is_index = _local(root.tag) == "sitemapindex"
    for el in root:
        loc = _child_text(el, "loc")
        if not loc:
            continue
        absolute = urljoin(base_url, loc)
        if is_index or _local(el.tag) == "sitemap":
            children.append(absolute)
            continue
        lastmod = _child_text(el, "lastmod")
        entries.append(ListEntry(url=canonical_url(absolute), date=iso_date(lastmod), lastmod=_lastmod(lastmod)))
    return entries, children


# ---------------------------------------------------------------- JSON list APIs

# url, link, href, share_url and camelCase linkUrl/docUrl/detailUrl/pcUrl...; media keys (picUrl, coverUrl,
# videoUrl ...) are never the article link
_URL_KEY = re.compile(r"(?:url|link|href)$|^(?:url|link|href)", re.I)
# keys naming another page than the record's own (the original source, the author, the column)
_OTHER_KEY = re.compile(r"source|origin|from|author|column|channel|node|category|ref", re.I)
_MEDIA_KEY = re.compile(r"pic|img|image|thumb|cover|icon|logo|avatar|video|audio|media|poster|banner|photo|file|attach", re.I)
_MEDIA_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|bmp|svg|mp[34]|m3u8|pdf|docx?|xlsx?|zip)(?:$|\?)", re.I)
_TITLE_KEY = re.compile(r"title|headline|subject|^name$", re.I)
_DATE_KEY = re.compile(r"pub|publish|date|time|created|release|ctime", re.I)
_PAGE_PARAMS = ("page", "pageNum", "pageNo", "pageIndex", "currentPage", "pn", "p")


def _looks_url(v: Any) -> bool:
    return isinstance(v, str) and bool(re.match(r"^(?:https?://|/|\.{0,2}/?[\w-]+/)", v)) and " " not in v


def _record_keys(rec: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    candidates = [
        k for k, v in rec.items()
        if _URL_KEY.search(k) and not _MEDIA_KEY.search(k) and _looks_url(v) and not _MEDIA_EXT.search(v)
    ]
    candidates.sort(key=lambda k: bool(_OTHER_KEY.search(k)))  # stable: page order otherwise
    url_key = candidates[0] if candidates else None
    title_key = next((k for k, v in rec.items() if _TITLE_KEY.search(k) and isinstance(v, str) and v), None)
    date_key = next((k for k, v in rec.items() if _DATE_KEY.search(k) and iso_date(v)), None)
    return url_key, title_key, date_key


def _find_records(data: Any, depth: int = 0) -> list[dict[str, Any]] | None:
    # the first list of objects most of which carry a URL-ish key: that is the article list
    if depth > 6:
        return None
    if isinstance(data, list):
        dicts = [x for x in data if isinstance(x, dict)]
        if dicts and sum(1 for d in dicts if _record_keys(d)[0]) * 2 >= len(dicts):
            return dicts
        children: Iterable[Any] = data
    elif isinstance(data, dict):
        children = data.values()
    else:
        return None
    for child in children:
        found = _find_records(child, depth + 1)
        if found is not None:
            return found
    return None


def _find_key(data: Any, pattern: re.Pattern[str], depth: int = 0) -> Any:
    if depth > 3 or not isinstance(data, dict):
        return None
    for k, v in data.items():
        if pattern.fullmatch(k) and not isinstance(v, list | dict):
            return v
    for v in data.values():
        found = _find_key(v, pattern, depth + 1)
        if found is not None:
            return found
    return None


def next_page_url(url: str) -> str | None:
    """``url`` with its page-number query parameter incremented, or None if it has none.

    >>> next_page_url("http://h/api/articles?page=2&size=4"), next_page_url("http://h/api/x")
    ('http://h/api/articles?page=3&size=4', None)
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (k, v) in enumerate(query):
        if k in _PAGE_PARAMS and v.isdigit():
            query[i] = (k, str(int(v) + 1))
            return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return None


def parse_api(data: Any, url: str) -> tuple[list[ListEntry], str | None, bool]:
    """(entries, next page URL, next_is_guess) of one JSON list-API page.

    The next page comes from an explicit ``next``/``next_url`` value; else, unless the response
    says there is no more (has_more/hasNextPage false, page >= total_pages) or the list is empty,
    from incrementing the page parameter (a guess: a 404 there just ends the list).

    >>> page = {"data": {"next": "/api/a?page=2", "list": [
    ...     {"title": "T", "url": "/content/1.htm", "pub_time": "2023-05-16 07:45:00"}]}}
    >>> parse_api(page, "http://h/api/a?page=1")
    ([ListEntry(url='http://h/content/1.htm', title='T', date='2023-05-16', lastmod=None)], 'http://h/api/a?page=2', False)
    """
    records = _find_records(data) or []
    entries: list[ListEntry] = []
    for rec in records:
        uk, tk, dk = _record_keys(rec)
        if not uk:
            continue
        entries.append(
            ListEntry(
                url=canonical_url(urljoin(url, str(rec[uk]).strip())),
                title=str(rec[tk]).strip() if tk else None,
                date=iso_date(rec[dk]) if dk else None,
            )
        )
    explicit = _find_key(data, re.compile(r"next|next_?url|next_?page_?url|nextPage", re.I))
    if isinstance(explicit, str) and explicit.strip():
        return entries, urljoin(url, explicit.strip()), False
    more = _find_key(data, re.compile(r"has_?more|has_?next(?:_?page)?|hasNextPage", re.I))
    if more is False or not entries:
        return entries, None, False
    total = _find_key(data, re.compile(r"total_?pages?|pages|page_?count|pageTotal", re.I))
    page = _find_key(data, re.compile(r"page|page_?num|page_?no|current(?:_?page)?", re.I))
    if isinstance(total, int) and isinstance(page, int) and page >= total:
        return entries, None, False
    if more is True:
        return entries, next_page_url(url), False
    return entries, next_page_url(url), True


# ---------------------------------------------------------------- HTML list pages

# class/id tokens of page chrome whose links are never the list (navigation, header/footer, share bars)
_CHROME_TOKEN = re.compile(
    r"(?:^|[-_])(?:nav|navbar|menu|header|footer|foot|crumbs?|breadcrumb|position|location|share|toolbar|"
    r"topbar|friendlink|copyright|login)(?:[-_]|\d|$)",
    re.I,
)
# tokens and headings of blocks that are usually side lists (hot items, rankings, related, "recommended")
# but on some sites name the main list itself ("hot-news-list", "重点项目推荐", "专题报道"): such a block is
# dropped only when the page has a bigger or better-dated list elsewhere
_SOFT_TOKEN = re.compile(
    r"(?:^|[-_])(?:side|sidebar|aside|rank|ranking|hot|hots|related|recommend|tuijian|remen)(?:[-_]|\d|$)", re.I
)
_CHROME_HEADING = re.compile(r"热点|热门|热榜|排行|相关|推荐|猜你|精彩图片|专题|友情链接|快速通道")
_HARD_HEADING = re.compile(r"友情链接|快速通道|精彩图片")
_NAV_TEXT = re.compile(
    r"^(?:首页|尾页|末页|上一页|下一页|上页|下页|更多|更多>+|返回|登录|注册|网站地图|联系我们|\d+|[<>›»«‹]+|next|prev|more)$",
    re.I,
)
# the words of a next-page control once brackets, arrows and spaces are stripped ("[下一页]", "下一页>>", "Next >")
_NEXT_WORDS = {"下一页", "下页", "后页", "后一页", "下一頁", "下頁", "next", "nextpage", "nextpg"}
_NEXT_SYMBOLS = {"›", "»", ">", ">>", "→", "＞", "》"}
_NEXT_STRIP = re.compile(r"[\s\[\]【】()（）<>＜＞《》〈〉«»‹›→←.。:：·|]+")
# class/id tokens of a next-page control: next, page-next, next-page, pagenext, pg_next, btn-next ...
_NEXT_CLASS = re.compile(r"^(?:(?:page|pg|pager|pagination|btn|a)[-_]?)?next(?:[-_]?(?:page|pg|btn|link))?$", re.I)
_CURRENT_CLASS = re.compile(r"(?:^|[-_])(?:current|curr?|active|on|selected|sel|thisclass|now)(?:[-_]|$)", re.I)
_CHROME_TAGS = {"nav", "header", "footer", "aside"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _chrome_of(a: Selector) -> str | None:
    """Why an anchor looks like page chrome: None (it does not), "hard" (navigation, header, footer ...),
    or a key naming the outermost side-list-like block around it ("soft": hot/related/推荐 lists)."""
    soft: str | None = None
    ancestors = a.xpath("ancestor::*")
    for depth, anc in enumerate(ancestors):
        tag = anc.root.tag.lower() if isinstance(anc.root.tag, str) else ""
        if tag in _CHROME_TAGS:
            return "hard"
        tokens = f"{anc.attrib.get('class', '')} {anc.attrib.get('id', '')}".split()
        if any(_CHROME_TOKEN.search(t) for t in tokens):
            return "hard"
        if soft is None and any(_SOFT_TOKEN.search(t) for t in tokens):
            soft = f"{depth}:{tag}:{anc.root.sourceline}:{' '.join(tokens)}"
        if tag in {"div", "section", "ul", "dl", "table"}:
            heading = _norm(" ".join(anc.xpath("./*[1][not(self::a)][not(.//a)]//text()").getall()))
            if heading and len(heading) <= 12 and _CHROME_HEADING.search(heading):
                if _HARD_HEADING.search(heading):
                    return "hard"
                if soft is None:
                    soft = f"{depth}:{tag}:{anc.root.sourceline}:{heading}"
    return soft


def _in_chrome(a: Selector) -> bool:
    return _chrome_of(a) is not None


def _anchor_title(a: Selector) -> str:
    text = _norm(" ".join(a.xpath(".//text()").getall()))
    text = re.sub(r"^\[[^\]]{1,4}\]\s*", "", text)  # "[置顶]"-style flags
    title_attr = _norm(a.attrib.get("title", ""))
    return title_attr if len(title_attr) > len(text) else text


def _item_date(a: Selector) -> str | None:
    # the nearest list item around the anchor usually carries the date (<span class="date">);
    # stop at the first ancestor holding several titled links (the whole list)
    for anc in reversed(a.xpath("ancestor::*[position() <= 3]")):
        if len(_titled_links(anc)) > 1:
            break
        found = iso_date(_norm(" ".join(anc.xpath(".//text()").getall())))
        if found:
            return found
    # <dt><a>title</a></dt><dd>2024-05-06</dd>, <h3><a/></h3><p class="time">: the date is in the
    # element right after the anchor's own block, which holds no link of its own
    node = a
    for _ in range(3):
        sib = node.xpath("following-sibling::*[1]")
        if sib and not _titled_links(sib[0]):
            found = iso_date(_norm(" ".join(sib[0].xpath(".//text()").getall())))
            if found:
                return found
        parent = node.xpath("..")
        if not parent or len(_titled_links(parent[0])) > 1:
            break
        node = parent[0]
    return None


def _titled_links(el: Selector) -> list[Selector]:
    return [
        x
        for x in el.xpath("descendant-or-self::a[@href]")
        if not (x.attrib.get("href") or "").startswith("javascript:") and len(_anchor_title(x)) >= 5
    ]


def _select(sel: Selector, query: str) -> list[Selector]:
    return list(sel.xpath(query) if query.startswith(("/", "(")) else sel.css(query))


def document_base(sel: Selector, page_url: str) -> str:
    """The URL relative links on a page resolve against: its ``<base href>`` (itself resolved against the
    page URL) when it has one, else the page URL.

    >>> document_base(Selector(text='<html><head><base href="/channel/gd/"></head></html>'), "http://h/gd/")
    'http://h/channel/gd/'
    >>> document_base(Selector(text='<html><head><base target="_blank"></head></html>'), "http://h/gd/")
    'http://h/gd/'
    """
    href = (sel.xpath("//base/@href").get() or "").strip()
    if not href or href.startswith(("javascript:", "#", "data:")):
        return page_url
    base = urljoin(page_url, href)
    return base if urlsplit(base).scheme in ("http", "https") else page_url


def _href_url(a: Selector, page_url: str) -> str | None:
    href = (a.attrib.get("href") or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    return canonical_url(urljoin(page_url, href))


_XML_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


def expand_xml_records(sel: Selector) -> Selector:
    """The page with the list items a 大汉 (Hanweb) JCMS column keeps in ``<script type="text/xml">``
    (``<datastore><recordset><record><![CDATA[<li><a ...>]]>``) put in place as HTML; the page itself
    when it has none.

    >>> page = ('<html><body><div id="4567"><script type="text/xml"><datastore><recordset>'
    ...         '<record><![CDATA[<li><a href="/art/2024/3/5/art_4567_1.html">某市重大项目签约</a></li>]]></record>'
    ...         '</recordset></datastore></script></div></body></html>')
    >>> expand_xml_records(Selector(text=page)).xpath("//li/a/@href").getall()
    ['/art/2024/3/5/art_4567_1.html']
    """
    scripts = sel.xpath("//script[contains(., '<record')]")
    if not scripts:
        return sel
    html = sel.get()
    changed = False
    for script in scripts:
        raw = script.get()
        records = _XML_RECORD.findall(raw)
        if records and raw in html:
            html = html.replace(raw, '<div class="xml-records">' + "".join(records) + "</div>", 1)
            changed = True
    return Selector(text=html) if changed else sel


def html_article_links(sel: Selector, page_url: str, source: Source) -> list[ListEntry]:
    """Article links on an HTML list page, in page order, without duplicates.

    With ``source.article_links`` only the selected anchors count; otherwise anchors in page chrome
    are skipped and an anchor counts when it stays on the site, is not a list page, and has an
    article-shaped URL with a title-like text (or a long title and an .html path).
    ``source.allow`` (regex) replaces the URL-shape test. Items kept as XML records in a script
    (Hanweb JCMS) count as the page's own.
    """
    sel = expand_xml_records(sel)
    if source.article_links:
        anchors: list[Selector] = []
        for node in _select(sel, source.article_links):
            anchors.extend([node] if node.root.tag == "a" else node.xpath(".//a[@href]"))
    else:
        anchors = list(sel.xpath("//body//a[@href]"))
    allow = re.compile(source.allow) if source.allow else None
    threads = None if source.article_links or allow else thread_title_anchors(sel)
    if threads is not None:  # a forum thread list: its rows' title links, whatever their length
        return _thread_entries(threads, document_base(sel, page_url), page_url)
    out: dict[str, ListEntry] = {}
    groups: dict[str, str | None] = {}  # url -> chrome group (None: main content)
    base = document_base(sel, page_url)
    for a in anchors:
        url = _href_url(a, base)
        if not url or url in out:
            continue
        title = _anchor_title(a)
        if allow:
            ok = bool(allow.search(url))
        elif source.article_links:
            ok = not looks_like_list(url)
        else:
            ok = _heuristic_article(url, title, page_url)
            if ok:
                chrome = _chrome_of(a)
                ok = chrome != "hard"
                groups[url] = chrome
        if ok:
            out[url] = ListEntry(url=url, title=title or None, date=_item_date(a))
    keep = _main_groups(out, groups)
    return [e for e in out.values() if groups.get(e.url) in keep]


def _thread_entries(anchors: list[Selector], base: str, page_url: str) -> list[ListEntry]:
    out: dict[str, ListEntry] = {}
    for a in anchors:
        url = _href_url(a, base)
        if url and url not in out and same_org(url, page_url) and not looks_like_list(url):
            out[url] = ListEntry(url=url, title=_anchor_title(a) or None, date=_item_date(a))
    return list(out.values())


def _main_groups(entries: dict[str, ListEntry], groups: dict[str, str | None]) -> set[str | None]:
    """The link groups that are the page's list: links outside side-list-like blocks, plus any such block
    that is a better list than all of them (more links, more of them dated) -- e.g. a main list whose class
    says "hot-news-list" or whose heading says 重点项目推荐, on a page with no other list."""
    scores: dict[str | None, int] = {}
    for url, e in entries.items():
        g = groups.get(url)
        scores[g] = scores.get(g, 0) + 1 + (2 if e.date else 0)
    clean = scores.pop(None, 0)
    keep: set[str | None] = {None}
    if not scores:
        return keep
    best = max(scores.values())
    if best > clean:
        keep |= {g for g, v in scores.items() if v == best}
    return keep


def _heuristic_article(url: str, title: str, page_url: str) -> bool:
    if not same_org(url, page_url) or looks_like_list(url) or _NAV_TEXT.match(title):
        return False
    if looks_like_article(url):
        return len(title) >= 4
    path = urlsplit(url).path
    if not re.search(r"\.(?:s?html?|jsp|aspx?|php)$|\d{4,}", path):
        return False
    cjk = len(re.findall(r"[\u4e00-\u9fff]", title))
    return len(title) >= 10 or cjk >= 6


def is_next_text(text: str) -> bool:
    """Whether an anchor's text (or title) says "next page", whatever brackets or arrows decorate it.

    >>> [is_next_text(t) for t in ("下一页 >", "[下一页]", "下一页>>", "Next >", "后页", "»", "下一篇", "2")]
    [True, True, True, True, True, True, False, False]
    """
    t = _norm(text)
    if not t or len(t) > 16:
        return False
    if t.replace(" ", "") in _NEXT_SYMBOLS:
        return True
    return _NEXT_STRIP.sub("", t).lower() in _NEXT_WORDS


def _is_next_anchor(a: Selector) -> bool:
    if is_next_text(" ".join(a.xpath(".//text()").getall())) or is_next_text(a.attrib.get("title", "")):
        return True
    if is_next_text(" ".join(a.xpath(".//img/@alt").getall())):
        return True
    # class="next" / "page-next" on the anchor or on the <li>/<span> wrapping it
    for el in (a, *a.xpath("parent::li | parent::span")):
        tokens = f"{el.attrib.get('class', '')} {el.attrib.get('id', '')}".split()
        if any(_NEXT_CLASS.match(t) for t in tokens) and not any("disabled" in t.lower() for t in tokens):
            return True
    return False


def _numbered_next(sel: Selector) -> list[str]:
    """hrefs of "N+1" links in a number-only pager whose current page N is marked (a plain <span>/<b>
    or an element with class current/active/on)."""
    out: list[str] = []
    for a in sel.xpath("//body//a[@href]"):
        text = _norm(" ".join(a.xpath(".//text()").getall()))
        if not re.fullmatch(r"\d{1,4}", text) or int(text) < 2:
            continue
        prev = str(int(text) - 1)
        container = a
        for _ in range(3):
            parent = container.xpath("..")
            if not parent:
                break
            container = parent[0]
            for el in container.xpath(f".//*[normalize-space(.)='{prev}']"):
                tag = el.root.tag.lower() if isinstance(el.root.tag, str) else ""
                marked = any(
                    _CURRENT_CLASS.search(t)
                    for x in (el, *el.xpath(".."))
                    for t in f"{x.attrib.get('class', '')} {x.attrib.get('id', '')}".split()
                )
                plain = tag != "a" and not el.xpath(".//a") and tag in {"span", "b", "strong", "em", "font", "i", "li", "td", "div", "label"}
                if marked or plain:
                    out.append(a.attrib["href"])
                    break
            else:
                continue
            break
    return out


def _next_hrefs(sel: Selector) -> list[str]:
    hrefs = sel.xpath("//link[@rel='next']/@href | //a[@rel='next']/@href").getall()
    hrefs += [a.attrib["href"] for a in sel.xpath("//body//a[@href]") if _is_next_anchor(a)]
    return hrefs + _numbered_next(sel)


_JS_PAGER = re.compile(
    r"createPageHTML\(\s*(?:['\"](?P<div>[^'\"]*)['\"]\s*,\s*)?['\"]?(?P<total>\d+)['\"]?\s*,\s*['\"]?(?P<current>\d+)['\"]?"
    r"(?:\s*,\s*['\"](?P<name>[\w-]+)['\"]\s*,\s*['\"](?P<ext>\w+)['\"])?"
)
_JS_COUNT = re.compile(r"\b(?:countPage|totalPage|pageCount)\s*=\s*['\"]?(\d+)")
_JS_CURRENT = re.compile(r"\b(?:currentPage|curPage)\s*=\s*['\"]?(\d+)")
_INDEX_N = re.compile(r"^(?P<dir>.*/)(?P<name>[\w-]+?)(?:_(?P<n>\d+))?(?P<ext>\.s?html?)$")


def html_next_page(sel: Selector, page_url: str, source: Source) -> str | None:
    """The next list page: the configured selector, rel=next, a 下一页/next control (text, title, class),
    the N+1 link of a number-only pager, or a gov-CMS pager script (TRS createPageHTML, countPage)."""
    hrefs: list[str] = []
    if source.next_page:
        for node in _select(sel, source.next_page):
            href = node.attrib.get("href") if node.root.tag == "a" else node.xpath(".//a/@href").get()
            if href is None and isinstance(node.root, str):
                href = node.root
            if href:
                hrefs.append(href)
    else:
        hrefs = _next_hrefs(sel)
    here = canonical_url(page_url)
    base = document_base(sel, page_url)
    for href in hrefs:
        href = href.strip()
        if href and not href.startswith(("javascript:", "#")):
            url = canonical_url(urljoin(base, href))
            if url != here:
                return url
    if source.next_page:
        return None
    return _js_pager_next(sel, page_url)


def _js_pager_next(sel: Selector, page_url: str) -> str | None:
    """Page N+1 of a list paged by script only.

    TRS ``createPageHTML(count, current0, "index", "html")`` pages are index.html, index_1.html, ...
    (page k+1 is ``_k``); the Guangdong variant ``createPageHTML('div', count, current1, 'index', 'html', n)``
    and bare ``countPage``/``currentPage`` (0-based) variables use index.html, index_2.html, ...
    """
    script = "\n".join(sel.xpath("//script/text()").getall())
    m = _JS_PAGER.search(script)
    name = ext = None
    if m:
        total, current = int(m.group("total")), int(m.group("current"))
        name, ext = m.group("name"), m.group("ext")
        if m.group("div") is not None:  # 1-based current page; page k is _k
            nxt_no, last = current + 1, total
        else:  # TRS: 0-based current page; page k+1 is _k
            nxt_no, last = current + 1, total - 1
    else:
        c, cur = _JS_COUNT.search(script), _JS_CURRENT.search(script)
        if not (c and cur):
            return None
        total, current = int(c.group(1)), int(cur.group(1))
        nxt_no, last = current + 2, total
    if nxt_no > last:
        return None
    parts = urlsplit(page_url)
    path = parts.path if not parts.path.endswith("/") else parts.path + f"{name or 'index'}.{ext or 'html'}"
    im = _INDEX_N.match(path)
    if not im:
        return None
    stem = name or im.group("name")
    suffix = f".{ext}" if ext else im.group("ext")
    nxt = f"{im.group('dir')}{stem}_{nxt_no}{suffix}"
    return canonical_url(urlunsplit((parts.scheme, parts.netloc, nxt, "", "")))


def find_continuation(sel: Selector, page_url: str, first_url: str) -> str | None:
    """The next page of a multi-page article: a next-page control or numbered link pointing at ``<first>_N.htm``."""
    hrefs = _next_hrefs(sel)
    for a in sel.xpath("//body//a[@href]"):
        if re.fullmatch(r"\d{1,2}", _norm(" ".join(a.xpath(".//text()").getall()))):
            hrefs.append(a.attrib["href"])
    here = canonical_url(page_url)
    seen_pages = _page_number(here, first_url)
    base = document_base(sel, page_url)
    for href in hrefs:
        href = href.strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        url = canonical_url(urljoin(base, href))
        if url != here and continuation_of(url, first_url) and _page_number(url, first_url) == seen_pages + 1:
            return url
    return None


def _page_number(url: str, first_url: str) -> int:
    if canonical_url(url) == canonical_url(first_url):
        return 1
    m = re.search(r"_(\d{1,3})\.s?html?$", urlsplit(url).path)
    return int(m.group(1)) if m else 1


_API_ATTRS = ("data-api", "data-url", "data-src-api", "data-list-api", "data-source")
_PAGE_PARAM_IN_SCRIPT = re.compile(r"[?&](" + "|".join(_PAGE_PARAMS) + r")=", re.I)
_API_PATH = re.compile(r"api|json|ajax|list|articles?|news", re.I)


def html_list_api(sel: Selector, page_url: str) -> str | None:
    """The first page of the JSON list API a list page loads more items from, or None.

    Many news CMSs show the newest few items in HTML and load the rest from a JSON endpoint named
    in a ``data-api``/``data-url`` attribute of the "load more" control; the page parameter is
    read from the page's scripts (``'?page=' + n``) and set to 1.

    >>> html = '''<a id="more" data-api="/api/articles">加载更多</a>
    ... <script>fetch(btn.getAttribute('data-api') + '?page=' + page)</script>'''
    >>> html_list_api(Selector(text=html), "http://h/news/index.html")
    'http://h/api/articles?page=1'
    >>> html_list_api(Selector(text='<div data-url="/img/a.png"></div>'), "http://h/news/")
    """
    for attr in _API_ATTRS:
        for value in sel.xpath(f"//body//*[@{attr}]/@{attr}").getall():
            value = value.strip()
            if not value or value.startswith(("javascript:", "#")) or not _API_PATH.search(value):
                continue
            if re.search(r"\.(?:png|jpe?g|gif|svg|webp|css|js|html?)$", urlsplit(value).path, re.I):
                continue
            url = urljoin(document_base(sel, page_url), value)
            if not same_site(url, page_url):
                continue
            if next_page_url(url) is not None:
                return url  # already carries a page parameter
            m = _PAGE_PARAM_IN_SCRIPT.search("\n".join(sel.xpath("//script/text()").getall()))
            param = m.group(1) if m else "page"
            return url + ("&" if urlsplit(url).query else "?") + f"{param}=1"
    return None


_ROW_META = re.compile(r"[\d\s\-/.:：年月日\[\]()（）·•、]*")


def _link_row(row: Selector) -> bool:
    """A table row of a link list: one titled link, the other cells only a number or a date."""
    cells = row.xpath("./td")
    linked = [td for td in cells if _titled_links(td)]
    if len(linked) != 1:
        return False
    return all(_ROW_META.fullmatch(_norm(" ".join(td.xpath(".//text()").getall()))) for td in cells if td is not linked[0])


def has_data_table(sel: Selector, min_rows: int = 3, min_cols: int = 3) -> bool:
    """Whether a page holds a data table (e.g. a list of projects), not a layout table.

    A data table has a header (``<th>`` cells or ``<thead>``), at least ``min_rows`` body rows of
    at least ``min_cols`` cells, short cells, and no table nested inside (gov CMS layouts nest).

    >>> rows = "".join(f"<tr><td>项目{i}</td><td>企业{i}</td><td>{i}</td></tr>" for i in range(3))
    >>> has_data_table(Selector(text=f"<table><tr><th>项目</th><th>投资方</th><th>亿元</th></tr>{rows}</table>"))
    True
    >>> has_data_table(Selector(text=f"<table>{rows}</table>"))  # no header row
    False
    >>> links = "".join(f'<tr><td>{i}</td><td><a href="/c/post_{i}.html">某市召开第{i}次工作会议</a></td><td>2024-03-0{i}</td></tr>' for i in range(1, 4))
    >>> has_data_table(Selector(text=f"<table><tr><th>序号</th><th>标题</th><th>发布日期</th></tr>{links}</table>"))
    False
    """
    for table in sel.xpath("//table[not(.//table)]"):
        if not table.xpath(".//th | .//thead"):
            continue
        body_rows = [r for r in table.xpath(".//tr[not(ancestor::thead)][not(th)]") if len(r.xpath("./td")) >= min_cols]
        if len(body_rows) < min_rows:
            continue
        if sum(_link_row(r) for r in body_rows) >= 0.8 * len(body_rows):
            continue  # a list of links (序号 | 标题 | 发布日期), e.g. a 政务公开 column: not data
        cells = [_norm(" ".join(td.xpath(".//text()").getall())) for r in body_rows for td in r.xpath("./td")]
        if cells and sum(len(c) <= 60 for c in cells) >= 0.8 * len(cells):
            return True
    return False
